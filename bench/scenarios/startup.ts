import { setTimeout as sleep } from 'node:timers/promises';
import { BenchContext, gatewayEnv, logFile } from '../bench-context';
import { startGateway } from '../processes';
import { medianOfRuns } from '../stats';

/** Lets start-up garbage be collected and timers settle before idle memory is read. */
const SETTLE_MS = 3_000;

export interface StartupRow {
  readyMs: number;
  idleRssMb: number;
}

/** Scenario 4: spawn to the first `/monitoring/ready` 200, then resident memory with no traffic (one worker). */
export async function startup(context: BenchContext): Promise<StartupRow> {
  const runs: StartupRow[] = [];
  for (let run = 0; run < context.plan.startupRuns; run += 1) {
    const gateway = await startGateway(gatewayEnv(context), logFile(context, 'startup'), context.gatewayNodeArgs);
    try {
      await sleep(SETTLE_MS);
      runs.push({ readyMs: gateway.readyMs, idleRssMb: gateway.rssBytes() / 2 ** 20 });
    } finally {
      await gateway.stop();
    }
  }
  return medianOfRuns(runs);
}
