import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOidcProvider } from '@test/fakes/oidc-provider';
import { BenchContext, benchPlan, gatewayEnv, logFile } from './bench-context';
import { pinLoadGenerator, startGateway, startUpstream, Upstream } from './processes';
import { oneChat, workflowMetadata } from './scenarios/workflows';

const CHUNKS = 25;

/**
 * `npm run bench:agent-relay`: the Agent Platform's cost per model delta. `BENCH_CHATS` (200) concurrent
 * `ExecuteWorkflow` chats over gRPC (the workflows scenario's: one `read_file`, then the answer), the answer
 * streamed by the model stand-in in 25 deltas over `BENCH_STREAM_MS` (1,000), then in 1; gateway CPU per delta =
 * (CPU of the 25-delta runs − CPU of the 1-delta runs) / (chats × 24). Each kind runs twice, the first to warm up.
 * Streamed text reaches the client as checkpoints at most every 50 ms: deltas 40 ms apart cost one checkpoint
 * each, 8 ms apart (`BENCH_STREAM_MS=200`) about one in six.
 */
async function main(): Promise<void> {
  const chats = Number(process.env.BENCH_CHATS ?? 200);
  pinLoadGenerator();
  const context: BenchContext = {
    plan: benchPlan(true),
    gitlab: await FakeOidcProvider.start(),
    logDir: mkdtempSync(join(tmpdir(), 'aigw-agent-probe-')),
    gatewayNodeArgs: [],
  };
  const streamMs = process.env.BENCH_STREAM_MS ?? '1000';
  const many = await startUpstream({ BENCH_UPSTREAM_CHUNKS: String(CHUNKS), BENCH_UPSTREAM_STREAM_MS: streamMs });
  const one = await startUpstream({ BENCH_UPSTREAM_CHUNKS: '1', BENCH_UPSTREAM_STREAM_MS: streamMs });
  const gateway = await startGateway(gatewayEnv(context), logFile(context, 'agent'), context.gatewayNodeArgs);
  const workdir = mkdtempSync(join(tmpdir(), 'bench-workflow-'));
  writeFileSync(join(workdir, 'README.md'), 'Hello from the README');
  const run = async (upstream: Upstream) => {
    const metadata = workflowMetadata(context, upstream.url);
    const before = gateway.cpuSeconds();
    const results = await Promise.all(
      Array.from({ length: chats }, () => oneChat(gateway.grpcAddress, metadata.clone(), workdir)),
    );
    return { cpu: gateway.cpuSeconds() - before, errors: results.filter((result) => !result.ok).length };
  };
  try {
    const cpu = { many: 0, one: 0 };
    let errors = 0;
    for (const round of [0, 1]) {
      const a = await run(many);
      const b = await run(one);
      errors += a.errors + b.errors;
      if (round === 1) Object.assign(cpu, { many: a.cpu, one: b.cpu });
    }
    const perDelta = ((cpu.many - cpu.one) * 1e6) / (chats * (CHUNKS - 1));
    process.stdout.write(
      `${chats} chats: CPU ${cpu.many.toFixed(2)} s with ${CHUNKS} deltas, ${cpu.one.toFixed(2)} s with 1; ` +
        `${perDelta.toFixed(1)} µs per delta; ${((cpu.one * 1000) / chats).toFixed(2)} ms per chat; errors ${errors}\n`,
    );
  } finally {
    await gateway.stop();
    await Promise.all([many.stop(), one.stop()]);
    await context.gitlab.close();
  }
}

void main();
