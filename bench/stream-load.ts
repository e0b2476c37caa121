import { setTimeout as sleep } from 'node:timers/promises';
import { Dispatcher, Pool } from 'undici';
import { HttpTarget } from './http-load';

export interface StreamLoadOptions {
  count: number;
  /** Stream i starts at i × rampMs / count, so connection set-up is not one burst. */
  rampMs: number;
  /** Text chunks each stream must deliver. */
  chunks: number;
  /** Longest silence within a stream; the whole load ends `rampMs + timeoutMs` after it started. */
  timeoutMs: number;
}

export interface StreamLoadResult {
  errors: number;
  firstError?: string;
  /** Request start to the first body byte, per stream. */
  ttfbMs: number[];
  /** Time between consecutive chunks, over all streams. */
  gapsMs: number[];
}

/** bench/upstream.ts starts every text chunk with this. */
const CHUNK_MARK = Buffer.from('tok_');

/**
 * `count` concurrent streamed POSTs of `target`, one connection each, with per-chunk timing. Uses undici's
 * handler API rather than body streams: at 5,000 streams the client's own per-chunk cost would show up as
 * delay otherwise.
 */
export async function streamLoad(target: HttpTarget, options: StreamLoadOptions): Promise<StreamLoadResult> {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, {
    connections: options.count,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const limit = setTimeout(
    () => void pool.destroy(new Error('still open at the end of the run')),
    options.rampMs + options.timeoutMs,
  );
  const result: StreamLoadResult = { errors: 0, ttfbMs: [], gapsMs: [] };
  const request: Dispatcher.DispatchOptions = {
    origin: url.origin,
    path: url.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
  };
  const streams: Array<Promise<void>> = [];
  const started = performance.now();
  for (let index = 0; index < options.count; index += 1) {
    const dueMs = (index * options.rampMs) / options.count - (performance.now() - started);
    if (dueMs >= 1) await sleep(dueMs);
    streams.push(oneStream(pool, request, options.chunks, result));
  }
  await Promise.all(streams);
  clearTimeout(limit);
  // After the limit destroyed it, the streams still open have failed and counted as errors.
  if (!pool.destroyed) await pool.close();
  return result;
}

function oneStream(
  pool: Pool,
  request: Dispatcher.DispatchOptions,
  chunks: number,
  result: StreamLoadResult,
): Promise<void> {
  return new Promise((resolve) => {
    const started = performance.now();
    let status = 0;
    let received = 0;
    let last = 0;
    /** The end of the previous read: a chunk mark may be split across two reads. */
    let tail = Buffer.alloc(0);
    const end = (failure?: string) => {
      if (failure) {
        result.errors += 1;
        result.firstError ??= failure;
      }
      resolve();
    };
    pool.dispatch(request, {
      onConnect: () => undefined,
      onHeaders: (statusCode) => {
        status = statusCode;
        return true;
      },
      onData: (data) => {
        if (status !== 200) return true;
        const now = performance.now();
        if (received === 0) result.ttfbMs.push(now - started);
        else result.gapsMs.push(now - last);
        last = now;
        // Chunks sent close together may arrive in one read: the later ones then count as no gap.
        const seen = tail.length > 0 ? Buffer.concat([tail, data]) : data;
        const count = occurrences(seen, CHUNK_MARK);
        tail = Buffer.from(seen.subarray(Math.max(0, seen.length - (CHUNK_MARK.length - 1))));
        for (let extra = 1; extra < count; extra += 1) result.gapsMs.push(0);
        received += count;
        return true;
      },
      onComplete: () =>
        end(status !== 200 ? `status ${status}` : received !== chunks ? `${received} of ${chunks} chunks` : undefined),
      onError: (error) => end(error.message),
    });
  });
}

function occurrences(data: Buffer, mark: Buffer): number {
  let count = 0;
  for (let at = data.indexOf(mark); at !== -1; at = data.indexOf(mark, at + mark.length)) count += 1;
  return count;
}
