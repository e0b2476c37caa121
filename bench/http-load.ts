import autocannon from 'autocannon';

export interface HttpTarget {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  connections: number;
  durationS: number;
  /** Requests per second over all connections; closed loop (as fast as answers come) when absent. */
  rate?: number;
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
 * POSTs `target` with autocannon. Latencies are collected from its per-response event: its own histogram
 * keeps whole milliseconds, too coarse for a sub-millisecond budget. With a rate, autocannon lets each
 * connection send its share of every second as answers come, then pause until the next second.
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
        ...(options.rate ? { overallRate: options.rate } : {}),
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = (performance.now() - started) / 1000;
        const answered = result.non2xx + latenciesMs.length;
        resolve({ requests: answered, rps: answered / seconds, errors: result.errors + result.timeouts + result.non2xx, latenciesMs });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
    });
  });
}
