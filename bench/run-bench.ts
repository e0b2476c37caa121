import { execSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { FakeOidcProvider } from '@test/fakes/oidc-provider';
import { measureAuthentication } from './auth-verify.bench';
import { BenchContext, benchPlan } from './bench-context';
import { BenchResults, markdownSection } from './report';
import { addedLatency } from './scenarios/added-latency';
import { docsSearch } from './scenarios/docs-search';
import { pinLoadGenerator } from './processes';
import { longStreams } from './scenarios/long-streams';
import { peers } from './scenarios/peers';
import { startup } from './scenarios/startup';
import { throughput } from './scenarios/throughput';
import { tracingOverhead } from './scenarios/tracing-overhead';
import { workflows } from './scenarios/workflows';

/**
 * `npm run bench`: every scenario of issue 9 against the built gateway, results to
 * bench/results/<date>.json and a section appended to docs/benchmarks.md.
 *
 * - `BENCH_QUICK=1`: one short run of each, to check the harness (not for the record).
 * - `BENCH_SCENARIOS=throughput,startup`: only these (auth, startup, latency, throughput, streams, workflows, tracing,
 *   docs, peers); `BENCH_PEERS=gateway,floor` runs only these of the peers scenario (gateway, floor, portkey).
 * - `BENCH_PIN=0`: no core pinning (by default the measured process runs on core 0, everything else on core 1).
 * - Every process runs on the Node that runs the bench: run it on the Node the product ships (24).
 * - `BENCH_CPU_PROFILE=<dir>`: every gateway writes a `.cpuprofile` there (see bench/cpuprofile-top.ts).
 */
const ROOT = join(__dirname, '..');

async function main(): Promise<void> {
  const plan = benchPlan(process.env.BENCH_QUICK === '1');
  const only = process.env.BENCH_SCENARIOS?.split(',').map((name) => name.trim());
  const wanted = (name: string) => !only || only.includes(name);
  const profileDir = process.env.BENCH_CPU_PROFILE;
  const logDir = mkdtempSync(join(tmpdir(), 'aigw-bench-'));
  process.stdout.write(`Gateway logs: ${logDir}\n`);
  const context: BenchContext = {
    plan,
    gitlab: await FakeOidcProvider.start(),
    logDir,
    gatewayNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  };
  const results: BenchResults = {
    date: new Date().toISOString(),
    commit: commit(),
    command: [plan.quick && 'BENCH_QUICK=1', only && `BENCH_SCENARIOS=${only.join(',')}`, 'npm run bench']
      .filter(Boolean)
      .join(' '),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown CPU',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    notes: [pinLoadGenerator()],
  };
  if (!process.version.startsWith('v24.')) {
    results.notes.push(`Node ${process.version}, not the Node 24 the product ships on: source scripts/node24.sh first`);
  }
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    if (!wanted(name)) return undefined;
    process.stdout.write(`${name}…\n`);
    try {
      return await run();
    } catch (error) {
      // The other scenarios' results are still worth writing down.
      results.notes.push(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.stderr.write(
        `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      return undefined;
    }
  };
  try {
    results.auth = await step('auth', measureAuthentication);
    results.startup = await step('startup', () => startup(context));
    results.addedLatency = await step('latency', () => addedLatency(context));
    results.throughput = await step('throughput', () => throughput(context));
    const streams = await step('streams', () => longStreams(context));
    results.longStreams = streams?.rows;
    results.notes.push(...(streams?.notes ?? []));
    results.workflows = await step('workflows', () => workflows(context));
    results.notes.push(...((await step('tracing', () => tracingOverhead(context))) ?? []));
    results.docsSearch = await step('docs', () => docsSearch(context));
    results.peers = await step('peers', () => peers(context));
  } finally {
    await context.gitlab.close();
  }
  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const jsonFile = join(resultsDir, `${results.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  const section = markdownSection(results);
  appendFileSync(join(ROOT, 'docs/benchmarks.md'), `\n${section}`);
  process.stdout.write(`\n${section}\nResults: ${jsonFile}; appended to docs/benchmarks.md\n`);
}

function commit(): string {
  const git = (args: string) => execSync(`git ${args}`, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse --short HEAD')}${git('status --porcelain --untracked-files=no') ? ' + local changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
