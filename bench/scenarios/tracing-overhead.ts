import { once } from 'node:events';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { BenchContext, completionTarget, gatewayEnv, logFile } from '../bench-context';
import { postLoad } from '../http-load';
import { startGateway, startUpstream } from '../processes';
import { medianOfRuns, percentile } from '../stats';

export interface TracingOverheadRow {
  tracing: 'off' | 'on, 100 % sampled';
  rps: number;
  cpuMicrosPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  exportBatches: number;
}

/**
 * Issue 20: what tracing costs. Closed-loop streamed completions against a 0 ms model, one worker, with
 * tracing off (the SDK not even loaded) and on at 100 % sampling, exporting to a collector that discards.
 * Returns lines for the report's notes.
 */
export async function tracingOverhead(context: BenchContext): Promise<string[]> {
  const { plan } = context;
  const upstream = await startUpstream();
  let spans = 0;
  const collector = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      spans += bytes > 0 ? 1 : 0;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }).listen(0, '127.0.0.1');
  await once(collector, 'listening');
  const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  const rows: TracingOverheadRow[] = [];
  try {
    for (const tracing of ['off', 'on, 100 % sampled'] as const) {
      const extra: Record<string, string> =
        tracing === 'off' ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_TRACES_SAMPLER: 'always_on' };
      const gateway = await startGateway(
        gatewayEnv(context, extra),
        logFile(context, `tracing-${tracing === 'off' ? 'off' : 'on'}`),
        context.gatewayNodeArgs,
      );
      try {
        const target = completionTarget(context, gateway.baseUrl, upstream.url, true);
        const load = { connections: plan.throughputConnections, durationS: plan.throughputRunS };
        await postLoad(target, { ...load, durationS: plan.warmUpS });
        const exportsBefore = spans;
        const runs = [];
        for (let run = 0; run < plan.repeats; run += 1) {
          const before = gateway.cpuSeconds();
          const result = await postLoad(target, load);
          runs.push({
            rps: result.rps,
            cpuMicrosPerRequest: ((gateway.cpuSeconds() - before) * 1e6) / result.requests,
            p50Ms: percentile(result.latenciesMs, 50),
            p99Ms: percentile(result.latenciesMs, 99),
            errors: result.errors,
          });
        }
        rows.push({ tracing, ...medianOfRuns(runs), exportBatches: spans - exportsBefore });
      } finally {
        await gateway.stop();
      }
    }
  } finally {
    collector.close();
    await upstream.stop();
  }
  return rows.map(
    (row) =>
      `tracing ${row.tracing}: ${row.rps.toFixed(0)} streamed completions/s, ${row.cpuMicrosPerRequest.toFixed(0)} µs CPU each, ` +
      `p50 ${row.p50Ms.toFixed(1)} ms, p99 ${row.p99Ms.toFixed(1)} ms, ${row.errors} errors, ${row.exportBatches} export batches`,
  );
}
