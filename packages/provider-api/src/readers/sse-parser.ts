import { MAX_STREAM_EVENT_SIZE } from './response-limits';
import { StreamEventTooLarge } from '../errors/upstream-errors';

export interface SseEvent {
  /** `message` when the event names none. */
  event: string;
  /** The event's `data:` lines joined with `\n`. */
  data: string;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Incremental `text/event-stream` parser (WHATWG rules); feed it decoded text in pieces of any size. Each piece
 * is scanned once. A line, or the data of one event, longer than `maxSize` characters fails the stream with
 * `model_malformed` ({@link StreamEventTooLarge}) instead of being buffered further.
 */
export class SseParser {
  /** The start of a line whose end has not arrived yet. */
  private pending = '';
  /** The previous piece ended in CR, so an LF opening this one belongs to that line break. */
  private afterCr = false;
  private data: string[] = [];
  private dataSize = 0;
  private event = '';
  private readonly lineBreak = /\r\n|\r|\n/g;

  constructor(private readonly maxSize = MAX_STREAM_EVENT_SIZE) {}

  push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    if (text === '') return events;
    let start = this.afterCr && text.charCodeAt(0) === LF ? 1 : 0;
    this.afterCr = text.charCodeAt(text.length - 1) === CR;
    this.lineBreak.lastIndex = start;
    for (let match = this.lineBreak.exec(text); match; match = this.lineBreak.exec(text)) {
      const piece = text.slice(start, match.index);
      const line = this.pending === '' ? piece : this.pending + piece;
      this.pending = '';
      this.checkLine(line.length);
      this.readLine(line, events);
      start = this.lineBreak.lastIndex;
    }
    if (start < text.length) {
      this.checkLine(this.pending.length + text.length - start);
      this.pending += text.slice(start);
    }
    return events;
  }

  /** At end of input: an event whose blank line never came is still delivered. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.pending !== '') this.readLine(this.pending, events);
    this.pending = '';
    this.readLine('', events);
    return events;
  }

  private checkLine(length: number): void {
    if (length > this.maxSize)
      throw new StreamEventTooLarge(`an event-stream line is longer than ${this.maxSize} characters`);
  }

  private readLine(line: string, events: SseEvent[]): void {
    if (line === '') return this.dispatch(events);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.addData(value);
    if (field === 'event') this.event = value;
  }

  private addData(value: string): void {
    this.dataSize += value.length + (this.data.length > 0 ? 1 : 0);
    if (this.dataSize > this.maxSize) {
      throw new StreamEventTooLarge(`the data of one event-stream event is longer than ${this.maxSize} characters`);
    }
    this.data.push(value);
  }

  private dispatch(events: SseEvent[]): void {
    if (this.data.length > 0) events.push({ event: this.event || 'message', data: this.data.join('\n') });
    this.data = [];
    this.dataSize = 0;
    this.event = '';
  }
}

/** The events of a byte stream; UTF-8 sequences split across reads are joined first. */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>, maxSize?: number): AsyncGenerator<SseEvent> {
  const parser = new SseParser(maxSize);
  const decoder = new TextDecoder('utf-8');
  for await (const bytes of body) {
    yield* parser.push(decoder.decode(bytes, { stream: true }));
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
