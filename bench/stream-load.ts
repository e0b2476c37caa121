import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { HttpTarget } from './http-load';

export interface StreamLoadOptions {
  count: number;
  /** Stream i starts at i × rampMs / count, so connection set-up is not one burst. */
  rampMs: number;
  /** Text chunks each stream must deliver. */
  chunks: number;
  /** Whole-stream limit; a stream still open then counts as an error. */
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
const CHUNK_MARK = 'tok_';

/** `count` concurrent streamed POSTs of `target`, one connection each, with per-chunk timing. */
export async function streamLoad(target: HttpTarget, options: StreamLoadOptions): Promise<StreamLoadResult> {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, {
    connections: options.count,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const result: StreamLoadResult = { errors: 0, ttfbMs: [], gapsMs: [] };
  const fail = (reason: string) => {
    result.errors += 1;
    result.firstError ??= reason;
  };
  const streams: Array<Promise<void>> = [];
  const started = performance.now();
  for (let index = 0; index < options.count; index += 1) {
    const dueMs = (index * options.rampMs) / options.count - (performance.now() - started);
    if (dueMs >= 1) await sleep(dueMs);
    streams.push(oneStream(pool, url, target, options, result).catch((error: Error) => fail(error.message)));
  }
  await Promise.all(streams);
  await pool.close();
  return result;
}

async function oneStream(pool: Pool, url: URL, target: HttpTarget, options: StreamLoadOptions, result: StreamLoadResult) {
  const started = performance.now();
  const response = await pool.request({
    path: url.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new Error(`status ${response.statusCode}`);
  }
  let received = 0;
  let last = 0;
  for await (const data of response.body) {
    const now = performance.now();
    if (received === 0) result.ttfbMs.push(now - started);
    else result.gapsMs.push(now - last);
    last = now;
    // Chunks sent close together may arrive in one read: the later ones then count as no gap.
    const chunks = String(data).split(CHUNK_MARK).length - 1;
    for (let extra = 1; extra < chunks; extra += 1) result.gapsMs.push(0);
    received += chunks;
  }
  if (received !== options.chunks) throw new Error(`${received} of ${options.chunks} chunks`);
}
