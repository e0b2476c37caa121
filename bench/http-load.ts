import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { Pool } from 'undici';

export interface HttpTarget {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  connections: number;
  durationS: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  /** Connection errors and timeouts, plus answers other than 2xx. */
  errors: number;
  /** Of 2xx answers, request written to response complete. */
  latenciesMs: number[];
}

/**
 * Closed loop: each of `connections` POSTs `target` again as soon as its answer is in (autocannon).
 * Latencies are collected from its per-response event: its own histogram keeps whole milliseconds, too
 * coarse for a sub-millisecond budget.
 */
export function postLoad(target: HttpTarget, options: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: target.body,
        connections: options.connections,
        duration: options.durationS,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = (performance.now() - started) / 1000;
        const answered = result.non2xx + latenciesMs.length;
        resolve({
          requests: answered,
          rps: answered / seconds,
          errors: result.errors + result.timeouts + result.non2xx,
          latenciesMs,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
    });
  });
}

export interface PacedLoadOptions {
  /** Requests per second, sent evenly spaced whatever the answers do (open loop). */
  rate: number;
  durationS: number;
}

/**
 * Open loop at a fixed rate: request i is due at i / rate seconds and is sent then, on a pool with enough
 * connections that none waits for a free one; its latency runs from when it was due to the end of its
 * answer, so a stalled server cannot hide delay by slowing the sender (coordinated omission).
 * autocannon's own rate limit is not used: it lets every connection send its share of each second
 * back to back from the start of the second, and the resulting bursts measure queueing, not added latency.
 */
export async function pacedLoad(target: HttpTarget, options: PacedLoadOptions): Promise<LoadResult> {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, {
    connections: Math.max(16, Math.ceil(options.rate / 4)),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const headers = { 'content-type': 'application/json', ...target.headers };
  const total = Math.round(options.rate * options.durationS);
  const latenciesMs: number[] = [];
  let errors = 0;
  const send = async (dueAt: number) => {
    try {
      const { statusCode, body } = await pool.request({
        path: url.pathname,
        method: 'POST',
        headers,
        body: target.body,
      });
      await body.dump({ limit: Number.POSITIVE_INFINITY });
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(performance.now() - dueAt);
      else errors += 1;
    } catch {
      errors += 1;
    }
  };
  const started = performance.now();
  const requests: Array<Promise<void>> = [];
  for (let index = 0; index < total;) {
    const now = performance.now();
    // Everything due by now goes out; then wait for the next one (timers are coarse, so it may be a few).
    for (
      let dueAt = started + (index * 1000) / options.rate;
      index < total && dueAt <= now;
      dueAt = started + (index * 1000) / options.rate
    ) {
      requests.push(send(dueAt));
      index += 1;
    }
    const nextDueAt = started + (index * 1000) / options.rate;
    if (index < total) await sleep(Math.max(0, nextDueAt - performance.now()));
  }
  await Promise.all(requests);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { requests: latenciesMs.length + errors, rps: (latenciesMs.length + errors) / seconds, errors, latenciesMs };
}
