import { malformed, StreamEventTooLarge } from '../errors/upstream-errors';
import { MAX_STREAM_EVENT_SIZE } from './response-limits';

/**
 * The JSON values of a newline-delimited JSON stream (Ollama's native API, TGI's `/generate_stream` without SSE,
 * most in-house services), one a line; blank lines are skipped and a last line without its newline still counts.
 * A line longer than `maxSize` characters fails with `model_malformed` while it is still arriving; a line that is
 * not JSON fails the same way. UTF-8 sequences split across reads are joined first.
 */
export async function* readNdjson(
  body: AsyncIterable<Uint8Array>,
  maxSize = MAX_STREAM_EVENT_SIZE,
): AsyncGenerator<unknown> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  const lines = function* (text: string, final: boolean): Generator<unknown> {
    const parts = text.split('\n');
    parts[0] = pending + parts[0];
    pending = final ? '' : parts.pop()!;
    if (pending.length > maxSize) throw new StreamEventTooLarge(`a JSON line is longer than ${maxSize} characters`);
    for (const line of parts) {
      const trimmed = line.trim();
      if (trimmed === '') continue;
      if (trimmed.length > maxSize) throw new StreamEventTooLarge(`a JSON line is longer than ${maxSize} characters`);
      yield parseLine(trimmed);
    }
  };
  for await (const bytes of body) yield* lines(decoder.decode(bytes, { stream: true }), false);
  yield* lines(decoder.decode(), true);
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw malformed('a line of the JSON stream is not valid JSON');
  }
}
