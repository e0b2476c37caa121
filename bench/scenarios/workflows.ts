import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeExecutor, FakeGitLab } from '@test/fakes/gitlab-executor';
import { toMetadata, workflowAuthHeaders } from '@test/helpers/tokens';
import { WorkflowStream } from '@test/helpers/workflow-stream';
import { BenchContext, gatewayEnv, logFile } from '../bench-context';
import { startGateway, startUpstream } from '../processes';
import { medianOfRuns, percentile } from '../stats';

export interface WorkflowRow {
  concurrency: number;
  errors: number;
  chatP50Ms: number;
  chatP99Ms: number;
  roundTripP50Ms: number;
  roundTripP99Ms: number;
  chatsPerSecond: number;
  cpuMsPerChat: number;
}

interface ChatTiming {
  ok: boolean;
  durationMs: number;
  /** Client-side: an answered action to the next action received. */
  roundTripsMs: number[];
}

/**
 * Scenario 5: concurrent `ExecuteWorkflow` chats over gRPC with real workflow tokens. The 0 ms model asks for
 * one `read_file`, then answers; the executor (Workhorse + IDE stand-in) answers every action at once.
 */
export async function workflows(context: BenchContext): Promise<WorkflowRow[]> {
  const upstream = await startUpstream();
  const gateway = await startGateway(gatewayEnv(context), logFile(context, 'workflows'), context.gatewayNodeArgs);
  const workdir = mkdtempSync(join(tmpdir(), 'bench-workflow-'));
  writeFileSync(join(workdir, 'README.md'), 'Hello from the README');
  const metadata = workflowMetadata(context, upstream.url);
  const chat = () => oneChat(gateway.grpcAddress, metadata.clone(), workdir);
  try {
    await Promise.all(Array.from({ length: 10 }, chat));
    const rows: WorkflowRow[] = [];
    for (const concurrency of context.plan.workflowConcurrency) {
      const runs = [];
      for (let run = 0; run < context.plan.repeats; run += 1) {
        const cpuBefore = gateway.cpuSeconds();
        const started = performance.now();
        const chats = await Promise.all(Array.from({ length: concurrency }, chat));
        const seconds = (performance.now() - started) / 1000;
        const durations = chats.map((each) => each.durationMs);
        const roundTrips = chats.flatMap((each) => each.roundTripsMs);
        runs.push({
          errors: chats.filter((each) => !each.ok).length,
          chatP50Ms: percentile(durations, 50),
          chatP99Ms: percentile(durations, 99),
          roundTripP50Ms: percentile(roundTrips, 50),
          roundTripP99Ms: percentile(roundTrips, 99),
          chatsPerSecond: concurrency / seconds,
          cpuMsPerChat: ((gateway.cpuSeconds() - cpuBefore) * 1000) / concurrency,
        });
      }
      rows.push({ concurrency, ...medianOfRuns(runs) });
    }
    return rows;
  } finally {
    await gateway.stop();
    await upstream.stop();
  }
}

/** A GitLab 18.9 workflow call's metadata: a workflow token, and the model stand-in at `upstreamUrl`. */
export function workflowMetadata(context: BenchContext, upstreamUrl: string): ReturnType<typeof toMetadata> {
  return toMetadata({
    ...workflowAuthHeaders(context.gitlab),
    'x-gitlab-version': '18.9.0',
    'x-gitlab-agent-platform-model-metadata': JSON.stringify({
      provider: 'custom_openai',
      name: 'bench',
      endpoint: upstreamUrl,
      api_key: 'k',
    }),
  });
}

export async function oneChat(
  address: string,
  metadata: ReturnType<typeof toMetadata>,
  workdir: string,
): Promise<ChatTiming> {
  const started = performance.now();
  const stream = new WorkflowStream(address, metadata);
  new FakeExecutor(stream, new FakeGitLab(), workdir);
  const arrivals: Array<{ at: number; answered: boolean }> = [];
  const recording = (async () => {
    while (!stream.isEnded) {
      await stream.changed();
      const at = performance.now();
      while (arrivals.length < stream.actions.length) {
        arrivals.push({ at, answered: stream.actions[arrivals.length].action !== 'newCheckpoint' });
      }
    }
  })();
  stream.send({
    startRequest: {
      workflowID: '42',
      goal: 'What does the README say?',
      workflowDefinition: 'chat',
      clientCapabilities: [],
    },
  });
  const status = await stream.status;
  await recording;
  const roundTripsMs = arrivals
    .slice(0, -1)
    .flatMap((arrival, index) => (arrival.answered ? [arrivals[index + 1].at - arrival.at] : []));
  return { ok: status.code === GrpcStatus.OK, durationMs: performance.now() - started, roundTripsMs };
}
