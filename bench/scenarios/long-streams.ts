import { readFileSync } from 'node:fs';
import { BenchContext, completionTarget, gatewayEnv, logFile } from '../bench-context';
import { samplePeakRss, startGateway, startUpstream } from '../processes';
import { medianOfRuns, percentile } from '../stats';
import { streamLoad } from '../stream-load';

const CHUNKS = 25;
const STREAM_MS = 5_000;
const GAP_MS = STREAM_MS / CHUNKS;
const RAMP_MS = 1_000;
/** Sockets per stream in the gateway (client + model), plus room for everything else. */
const descriptorsNeeded = (streams: number) => 2 * streams + 1_000;

export interface LongStreamRow {
  streams: number;
  errors: number;
  ttfbP99Ms: number;
  /** Time between chunks beyond the model's own 200 ms spacing, 99th percentile. */
  interChunkExcessP99Ms: number;
  peakRssMb: number;
  cpuSeconds: number;
  /** Average cores the gateway used while the streams ran. */
  gatewayCores: number;
}

export interface LongStreamResult {
  rows: LongStreamRow[];
  notes: string[];
}

/**
 * Scenario 3: N concurrent streamed completions, each 25 chunks over 5 s from the model, opened over 1 s.
 * A fresh gateway per N, with its defaults (no cap on model connections).
 */
export async function longStreams(context: BenchContext): Promise<LongStreamResult> {
  const { plan } = context;
  const notes: string[] = [];
  const upstream = await startUpstream({
    BENCH_UPSTREAM_CHUNKS: String(CHUNKS),
    BENCH_UPSTREAM_STREAM_MS: String(STREAM_MS),
  });
  const rows: LongStreamRow[] = [];
  try {
    for (const streams of plan.streamCounts) {
      if (openFileLimit() < descriptorsNeeded(streams)) {
        notes.push(
          `${streams} streams skipped: \`ulimit -n\` is ${openFileLimit()}, ${descriptorsNeeded(streams)} needed`,
        );
        continue;
      }
      const env = gatewayEnv(context);
      const gateway = await startGateway(env, logFile(context, `long-streams-${streams}`), context.gatewayNodeArgs);
      try {
        const target = completionTarget(context, gateway.baseUrl, upstream.url, true);
        const options = { count: streams, rampMs: RAMP_MS, chunks: CHUNKS, timeoutMs: STREAM_MS * 4 };
        await streamLoad(target, { ...options, count: Math.min(streams, 100) });
        const runs = [];
        for (let run = 0; run < plan.repeats; run += 1) {
          const cpuBefore = gateway.cpuSeconds();
          const started = performance.now();
          const peakRss = samplePeakRss(gateway);
          const result = await streamLoad(target, options);
          const cpuSeconds = gateway.cpuSeconds() - cpuBefore;
          if (result.firstError)
            notes.push(`${streams} streams, run ${run + 1}: ${result.errors} errors, first: ${result.firstError}`);
          runs.push({
            errors: result.errors,
            ttfbP99Ms: percentile(result.ttfbMs, 99),
            interChunkExcessP99Ms: percentile(result.gapsMs, 99) - GAP_MS,
            peakRssMb: peakRss() / 2 ** 20,
            cpuSeconds,
            gatewayCores: cpuSeconds / ((performance.now() - started) / 1000),
          });
        }
        rows.push({ streams, ...medianOfRuns(runs) });
      } finally {
        await gateway.stop();
      }
    }
    return { rows, notes };
  } finally {
    await upstream.stop();
  }
}

function openFileLimit(): number {
  const soft = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  return soft ? Number(soft) : Number.POSITIVE_INFINITY;
}
