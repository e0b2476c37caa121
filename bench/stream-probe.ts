import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOidcProvider } from '@test/fakes/oidc-provider';
import { BenchContext, benchPlan, completionTarget, gatewayEnv, logFile } from './bench-context';
import { pinLoadGenerator, samplePeakRss, startFloor, startGateway, startUpstream } from './processes';
import { percentile } from './stats';
import { streamLoad } from './stream-load';

/**
 * `npm run bench:relay`: a quick look at the streaming relay alone, between full bench runs. Opens
 * `BENCH_STREAMS` (2,000) 25-chunk streams over 4 s through one gateway on the measured core (twice: the first run
 * warms up), then as many 1-chunk streams, and prints what the peers scenario reports: errors, TTFB and gap p99,
 * CPU, peak RSS and the CPU per relayed chunk. `PROBE_PEER=floor` measures the floor instead; `PROBE_ENV` (JSON)
 * adds gateway variables; `BENCH_CPU_PROFILE=<dir>` as for `npm run bench`. Nothing is written to the docs.
 */
async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? process.env.BENCH_STREAMS ?? 2000);
  pinLoadGenerator();
  const profileDir = process.env.BENCH_CPU_PROFILE;
  const context: BenchContext = {
    plan: benchPlan(true),
    gitlab: await FakeOidcProvider.start(),
    logDir: mkdtempSync(join(tmpdir(), 'aigw-probe-')),
    gatewayNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  };
  const fast = await startUpstream({ BENCH_UPSTREAM_CHUNKS: '25', BENCH_UPSTREAM_STREAM_MS: '5000' });
  const single = await startUpstream({ BENCH_UPSTREAM_CHUNKS: '1', BENCH_UPSTREAM_STREAM_MS: '5000' });
  const env = JSON.parse(process.env.PROBE_ENV ?? '{}') as Record<string, string>;
  const log = logFile(context, 'probe');
  const gateway =
    process.env.PROBE_PEER === 'floor'
      ? await startFloor(context.gitlab.issuer, log, context.gatewayNodeArgs)
      : await startGateway(gatewayEnv(context, env), log, context.gatewayNodeArgs);
  try {
    const run = async (url: string, chunks: number) => {
      const before = gateway.cpuSeconds();
      const peak = samplePeakRss(gateway);
      const target = completionTarget(context, gateway.baseUrl, url, true);
      const result = await streamLoad(target, { count, rampMs: 4000, chunks, timeoutMs: 20_000 });
      const cpu = gateway.cpuSeconds() - before;
      const line = `${chunks} chunks: errors ${result.errors}, TTFB p99 ${percentile(result.ttfbMs, 99).toFixed(0)} ms, gap p99 ${chunks > 1 ? percentile(result.gapsMs, 99).toFixed(0) : '-'} ms, CPU ${cpu.toFixed(2)} s, peak RSS ${(peak() / 2 ** 20).toFixed(0)} MB`;
      process.stdout.write(`${line}\n`);
      return cpu;
    };
    await run(fast.url, 25); // warm-up
    const many = await run(fast.url, 25);
    const one = await run(single.url, 1);
    process.stdout.write(`CPU per relayed chunk: ${(((many - one) * 1e6) / (count * 24)).toFixed(1)} µs\n`);
  } finally {
    await gateway.stop();
    await Promise.all([fast.stop(), single.stop()]);
    await context.gitlab.close();
  }
}

void main();
