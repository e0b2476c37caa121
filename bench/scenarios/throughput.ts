import { BenchContext, completionTarget, gatewayEnv, logFile } from '../bench-context';
import { postLoad } from '../http-load';
import { MEASURED_CORE, startGateway, startUpstream } from '../processes';
import { medianOfRuns, percentile } from '../stats';

export interface ThroughputRow {
  workers: number;
  rps: number;
  cpuMicrosPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Where the two cores went: average cores used by each party during the run. */
  gatewayCores: number;
  upstreamCores: number;
  loadGeneratorCores: number;
}

/** Scenario 2: closed-loop completions against a 0 ms model, for one worker and for two. */
export async function throughput(context: BenchContext): Promise<ThroughputRow[]> {
  const { plan } = context;
  const upstream = await startUpstream();
  const rows: ThroughputRow[] = [];
  try {
    for (const workers of [1, 2]) {
      const env = gatewayEnv(context, { AIGW_WORKERS: String(workers) });
      // Two workers get both cores (sharing one with the load generator); one worker the measured core.
      const cores = workers === 1 ? MEASURED_CORE : '0,1';
      const gateway = await startGateway(
        env,
        logFile(context, `throughput-${workers}`),
        context.gatewayNodeArgs,
        cores,
      );
      try {
        const target = completionTarget(context, gateway.baseUrl, upstream.url);
        const load = { connections: plan.throughputConnections, durationS: plan.throughputRunS };
        await postLoad(target, { ...load, durationS: plan.warmUpS });
        const runs = [];
        for (let run = 0; run < plan.repeats; run += 1) {
          const before = {
            gateway: gateway.cpuSeconds(),
            upstream: upstream.cpuSeconds(),
            self: process.cpuUsage(),
            at: performance.now(),
          };
          const result = await postLoad(target, load);
          const seconds = (performance.now() - before.at) / 1000;
          const gatewayCpu = gateway.cpuSeconds() - before.gateway;
          const self = process.cpuUsage(before.self);
          runs.push({
            rps: result.rps,
            cpuMicrosPerRequest: (gatewayCpu * 1e6) / result.requests,
            p50Ms: percentile(result.latenciesMs, 50),
            p99Ms: percentile(result.latenciesMs, 99),
            errors: result.errors,
            gatewayCores: gatewayCpu / seconds,
            upstreamCores: (upstream.cpuSeconds() - before.upstream) / seconds,
            loadGeneratorCores: (self.user + self.system) / 1e6 / seconds,
          });
        }
        rows.push({ workers, ...medianOfRuns(runs) });
      } finally {
        await gateway.stop();
      }
    }
    return rows;
  } finally {
    await upstream.stop();
  }
}
