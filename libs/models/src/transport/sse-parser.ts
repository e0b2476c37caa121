export interface SseEvent {
  /** `message` when the event names none. */
  event: string;
  /** The event's `data:` lines joined with `\n`. */
  data: string;
}

// A trailing CR may be the first half of a CRLF split across two reads, so it waits for the next one.
const LINE_BREAK = /\r\n|\r(?!$)|\n/;

/** Incremental `text/event-stream` parser (WHATWG rules); feed it decoded text in pieces of any size. */
export class SseParser {
  private pending = '';
  private data: string[] = [];
  private event = '';

  push(text: string): SseEvent[] {
    const lines = (this.pending + text).split(LINE_BREAK);
    this.pending = lines.pop() ?? '';
    const events: SseEvent[] = [];
    for (const line of lines) this.readLine(line, events);
    return events;
  }

  /** At end of input: an event whose blank line never came is still delivered. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.pending !== '') this.readLine(this.pending.replace(/\r$/, ''), events);
    this.pending = '';
    this.readLine('', events);
    return events;
  }

  private readLine(line: string, events: SseEvent[]): void {
    if (line === '') return this.dispatch(events);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    if (field === 'event') this.event = value;
  }

  private dispatch(events: SseEvent[]): void {
    if (this.data.length > 0) events.push({ event: this.event || 'message', data: this.data.join('\n') });
    this.data = [];
    this.event = '';
  }
}

/** The events of a byte stream; UTF-8 sequences split across reads are joined first. */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder('utf-8');
  for await (const bytes of body) {
    yield* parser.push(decoder.decode(bytes, { stream: true }));
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
