import { pythonJson } from '../streaming/python-format';

/** Idle interval after which `/v4/code/suggestions` sends a ping comment (sse-starlette's default). */
export const SSE_PING_INTERVAL_MS = 15_000;

/** Response headers of `/v4/code/suggestions` streams (http-api.md §2.9). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'x-streaming-format': 'sse',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** One event: `event:` and `data:` lines ending in CRLF, then an empty CRLF line; data as Python's json.dumps. */
export function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\r\ndata: ${pythonJson(data)}\r\n\r\n`;
}

/**
 * `: ping - 2024-11-20 16:46:23.123000+00:00`, Python's `str(datetime.now(timezone.utc))`, which leaves the
 * fraction out when it is zero.
 */
export function ssePing(now: Date): string {
  const iso = now.toISOString();
  const fraction = now.getUTCMilliseconds() === 0 ? '' : `${iso.slice(19, 23)}000`;
  return `: ping - ${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00:00\r\n\r\n`;
}

/**
 * Passes `source` through and inserts a ping whenever it has been silent for `intervalMs`. The pending read
 * survives the ping, so no chunk is lost; closing the result closes the source.
 */
export async function* withIdlePings(
  source: AsyncIterable<string>,
  intervalMs: number,
  ping: () => string,
): AsyncGenerator<string> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<string>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      pending ??= iterator.next();
      const idle = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), intervalMs)));
      const next = await Promise.race([pending, idle]);
      clearTimeout(timer);
      if (next === 'idle') {
        yield ping();
        continue;
      }
      pending = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    if (pending === undefined) await iterator.return?.();
    else void iterator.return?.();
  }
}
