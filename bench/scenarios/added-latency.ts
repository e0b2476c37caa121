import { BenchContext, completionTarget, directTarget, gatewayEnv, logFile } from '../bench-context';
import { pacedLoad, postLoad } from '../http-load';
import { startGateway, startUpstream } from '../processes';
import { medianOfRuns, percentile } from '../stats';

const UPSTREAM_LATENCY_MS = 60;

export interface AddedLatencyRow {
  rate: number;
  directP50Ms: number;
  directP99Ms: number;
  gatewayP50Ms: number;
  gatewayP99Ms: number;
  addedP50Ms: number;
  addedP99Ms: number;
  gatewayRps: number;
  errors: number;
}

/**
 * Scenario 1: the same completion straight to a 60 ms model and through the gateway, at fixed rates (open
 * loop, evenly spaced), alternating so both see the same machine state.
 */
export async function addedLatency(context: BenchContext): Promise<AddedLatencyRow[]> {
  const { plan } = context;
  const upstream = await startUpstream({ BENCH_UPSTREAM_LATENCY_MS: String(UPSTREAM_LATENCY_MS) });
  const gateway = await startGateway(gatewayEnv(context), logFile(context, 'added-latency'), context.gatewayNodeArgs);
  try {
    const direct = directTarget(upstream.url);
    const viaGateway = completionTarget(context, gateway.baseUrl, upstream.url);
    await postLoad(viaGateway, { connections: 20, durationS: plan.warmUpS });
    await postLoad(direct, { connections: 20, durationS: plan.warmUpS });
    const rows: AddedLatencyRow[] = [];
    for (const rate of plan.rates) {
      const load = { rate, durationS: plan.latencyRunS };
      const runs = [];
      for (let run = 0; run < plan.repeats; run += 1) {
        const straight = await pacedLoad(direct, load);
        const through = await pacedLoad(viaGateway, load);
        const [directP50Ms, directP99Ms] = [percentile(straight.latenciesMs, 50), percentile(straight.latenciesMs, 99)];
        const [gatewayP50Ms, gatewayP99Ms] = [percentile(through.latenciesMs, 50), percentile(through.latenciesMs, 99)];
        runs.push({
          directP50Ms,
          directP99Ms,
          gatewayP50Ms,
          gatewayP99Ms,
          addedP50Ms: gatewayP50Ms - directP50Ms,
          addedP99Ms: gatewayP99Ms - directP99Ms,
          gatewayRps: through.rps,
          errors: straight.errors + through.errors,
        });
      }
      rows.push({ rate, ...medianOfRuns(runs) });
    }
    return rows;
  } finally {
    await gateway.stop();
    await upstream.stop();
  }
}
