import { runFuzz, FuzzReport } from './fuzz-run';
import { FuzzStack } from './fuzz-stack';

/** RSS may grow this much over idle during a run (issue 15). */
export const RSS_ALLOWANCE_BYTES = 200 * 1024 * 1024;
/** Largest `/metrics` scrape after a run. */
export const METRICS_LIMIT_BYTES = 1024 * 1024;

export interface FuzzResult extends FuzzReport {
  idleRssBytes: number;
  afterRssBytes: number;
  metricsBytes: number;
  metricsStatus: number;
  /** Every broken promise: failures, a crash, memory, metrics. Empty when the run passed. */
  problems: string[];
}

/** One run with the memory and metrics checks around it. */
export async function fuzzAndCheck(
  stack: FuzzStack,
  seed: number,
  requests: number,
  only?: number,
): Promise<FuzzResult> {
  const idleRssBytes = stack.rssBytes();
  const report = await runFuzz(stack.target, seed, requests, only);
  const crashed = stack.gateway.child.exitCode !== null || stack.gateway.child.signalCode !== null;
  const afterRssBytes = crashed ? 0 : stack.rssBytes();
  const metrics = crashed ? { status: 0, bytes: 0 } : await stack.scrape();
  const problems = [
    ...report.failures.map((failure) => `${failure.what}: ${failure.detail}`),
    ...(crashed ? [`the gateway exited (${stack.gateway.child.exitCode ?? stack.gateway.child.signalCode})`] : []),
    ...(afterRssBytes > idleRssBytes + RSS_ALLOWANCE_BYTES
      ? [`RSS ${mib(afterRssBytes)} MiB after the run, idle was ${mib(idleRssBytes)} MiB`]
      : []),
    ...(metrics.status !== 200 ? [`/metrics answered ${metrics.status}`] : []),
    ...(metrics.bytes > METRICS_LIMIT_BYTES ? [`/metrics is ${metrics.bytes} bytes`] : []),
  ];
  return {
    ...report,
    idleRssBytes,
    afterRssBytes,
    metricsBytes: metrics.bytes,
    metricsStatus: metrics.status,
    problems,
  };
}

export const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export function summary(result: FuzzResult): string {
  return [
    `seed ${result.seed}: ${result.requests} requests`,
    `statuses ${JSON.stringify(result.statuses)}`,
    `contract 5xx ${JSON.stringify(result.allowed5xx)}`,
    `RSS idle ${mib(result.idleRssBytes)} MiB, after ${mib(result.afterRssBytes)} MiB; /metrics ${result.metricsBytes} bytes (${result.metricsStatus})`,
    ...(result.problems.length > 0
      ? [
          `FAILED (replay: FUZZ_SEED=${result.seed} FUZZ_REQUESTS=${result.requests} npm run fuzz):`,
          ...result.problems.slice(0, 50),
        ]
      : ['passed']),
  ].join('\n');
}
