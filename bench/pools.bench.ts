import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { EndpointPool, parseRoutes } from '@app/models';
import { FakeOidcProvider } from '@test/fakes/oidc-provider';
import { PoolBackendFake } from '@test/fakes/pool-backend.server';
import { ccBody } from '@test/helpers/code-suggestion-bodies';
import { Random } from '@test/helpers/random';
import { authHeaders } from '@test/helpers/tokens';
import { HttpTarget, pacedLoad } from './http-load';
import { startGateway } from './processes';
import { median, percentile, round } from './stats';

/**
 * `npm run bench:pools`: endpoint pools (issue 17) against the built gateway. (1) prefix affinity against least
 * outstanding requests, on stand-in vLLM replicas that answer a prompt prefix they hold in cache faster; (2) the
 * latency routing adds, routed call against the same call unrouted; (3) the balancer's own cost per pick.
 * Results go to the endpoint-pools section of docs/benchmarks.md (replaced on each run).
 */
const ROOT = join(__dirname, '..');
const DOCS = join(ROOT, 'docs/benchmarks.md');
const SECTION_START = '<!-- bench:pools -->';
const SECTION_END = '<!-- /bench:pools -->';

const REPLICAS = 4;
const MISS_MS = 40;
const HIT_MS = 5;
const CACHE_CAPACITY = 120;
const USERS = 50;
const FILES_PER_USER = 8;
const CALLS = 2000;
const CONCURRENCY = 8;
const LATENCY_RATE = 100;
const LATENCY_RUN_S = 8;
const LATENCY_ROUNDS = 3;

const LOR_ENDPOINT = 'http://lor.vllm.bench:8000/v1';
const AFFINITY_ENDPOINT = 'http://affinity.vllm.bench:8000/v1';
const ROUTED_ENDPOINT = 'http://routed.vllm.bench:8000/v1';

interface AffinityRow {
  policy: string;
  hitRate: number;
  ttftP50Ms: number;
  ttftP99Ms: number;
  /** Busiest replica's calls over the least busy one's. */
  imbalance: number;
  errors: number;
}

interface LatencyRow {
  directP50Ms: number;
  directP99Ms: number;
  routedP50Ms: number;
  routedP99Ms: number;
}

/** A file's text above the cursor: the same start for every call on it, a few typed characters at the end. */
function fileText(user: number, file: number, typed: number): string {
  const lines = Array.from({ length: 12 }, (_, line) => `    total_${user}_${file} += item_${line} * ${line}\n`);
  return `def handler_${user}_${file}(items):\n${lines.join('')}    ${'x'.repeat(typed)}`;
}

async function affinityRun(
  gitlab: FakeOidcProvider,
  gatewayUrl: string,
  endpoint: string,
  policy: string,
  replicas: PoolBackendFake[],
): Promise<AffinityRow> {
  const random = new Random(17).next;
  const headers = { ...authHeaders(gitlab, ['complete_code']), 'content-type': 'application/json' };
  const ttftMs: number[] = [];
  let errors = 0;
  let next = 0;
  const call = async () => {
    const user = Math.floor(random() * USERS);
    const file = Math.floor(random() * FILES_PER_USER);
    const body = ccBody(endpoint, {
      stream: true,
      current_file: {
        file_name: `src/file_${file}.py`,
        content_above_cursor: fileText(user, file, next % 7),
        content_below_cursor: '\n',
      },
    });
    const started = performance.now();
    const response = await fetch(`${gatewayUrl}/v2/code/completions`, {
      method: 'POST',
      headers: { ...headers, 'x-gitlab-user-id': String(user) },
      body: JSON.stringify(body),
    });
    let first = true;
    for await (const part of response.body!) {
      if (first && part.length > 0) ttftMs.push(performance.now() - started);
      first = false;
    }
    if (response.status !== 200) errors += 1;
  };
  const worker = async () => {
    while (next < CALLS) {
      next += 1;
      await call();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const received = replicas.map((replica) => replica.received);
  const hits = replicas.reduce((sum, replica) => sum + replica.cacheHits, 0);
  return {
    policy,
    hitRate: hits / received.reduce((sum, count) => sum + count, 0),
    ttftP50Ms: percentile(ttftMs, 50),
    ttftP99Ms: percentile(ttftMs, 99),
    imbalance: Math.max(...received) / Math.max(1, Math.min(...received)),
    errors,
  };
}

async function latencyRuns(gitlab: FakeOidcProvider, gatewayUrl: string, plainUrl: string): Promise<LatencyRow> {
  const target = (endpoint: string): HttpTarget => ({
    url: `${gatewayUrl}/v2/code/completions`,
    headers: authHeaders(gitlab, ['complete_code']),
    body: JSON.stringify(ccBody(endpoint)),
  });
  const load = { rate: LATENCY_RATE, durationS: LATENCY_RUN_S };
  await pacedLoad(target(plainUrl), { rate: LATENCY_RATE, durationS: 2 });
  await pacedLoad(target(ROUTED_ENDPOINT), { rate: LATENCY_RATE, durationS: 2 });
  const rows: LatencyRow[] = [];
  for (let round = 0; round < LATENCY_ROUNDS; round += 1) {
    const direct = await pacedLoad(target(plainUrl), load);
    const routed = await pacedLoad(target(ROUTED_ENDPOINT), load);
    if (direct.errors + routed.errors > 0) throw new Error(`latency run had ${direct.errors + routed.errors} errors`);
    rows.push({
      directP50Ms: percentile(direct.latenciesMs, 50),
      directP99Ms: percentile(direct.latenciesMs, 99),
      routedP50Ms: percentile(routed.latenciesMs, 50),
      routedP99Ms: percentile(routed.latenciesMs, 99),
    });
  }
  const field = (name: keyof LatencyRow) => median(rows.map((row) => row[name]));
  return {
    directP50Ms: field('directP50Ms'),
    directP99Ms: field('directP99Ms'),
    routedP50Ms: field('routedP50Ms'),
    routedP99Ms: field('routedP99Ms'),
  };
}

/** Microseconds per pick of one balancer over four idle replicas, in process. */
function pickCostUs(balance: string, key: string | undefined): number {
  const backends = Array.from({ length: REPLICAS }, (_, index) => `{name: r${index}, url: "http://r${index}:8000/v1"}`);
  const config = parseRoutes(
    `pools:\n  p:\n    balance: ${balance}\n    backends: [${backends.join(', ')}]\nroutes:\n  - {match: {family: x}, pool: p}\n`,
    'bench',
  );
  const pool = new EndpointPool(config.pools.get('p')!);
  const tried = new Set<never>();
  const picks = 200_000;
  const started = process.hrtime.bigint();
  for (let index = 0; index < picks; index += 1) {
    const choice = pool.choose(Date.now(), tried, key);
    choice!.backend.outstanding += 1;
    choice!.backend.outstanding -= 1;
  }
  return Number(process.hrtime.bigint() - started) / 1000 / picks;
}

function routesFile(lor: PoolBackendFake[], affinity: PoolBackendFake[], plain: PoolBackendFake): string {
  const list = (fakes: PoolBackendFake[]) => fakes.map((fake, index) => ({ name: `r${index}`, url: fake.url }));
  return JSON.stringify({
    pools: {
      lor: { balance: 'least_outstanding', backends: list(lor) },
      affinity: { balance: 'prefix_affinity', backends: list(affinity) },
      single: { backends: [{ name: 'plain', url: plain.url }] },
    },
    routes: [
      { name: 'lor', match: { endpoint: LOR_ENDPOINT }, pool: 'lor' },
      { name: 'affinity', match: { endpoint: AFFINITY_ENDPOINT }, pool: 'affinity' },
      { name: 'routed', match: { endpoint: ROUTED_ENDPOINT }, pool: 'single' },
    ],
  });
}

function section(affinity: AffinityRow[], latency: LatencyRow, picks: Array<[string, number]>): string {
  const commit = (() => {
    try {
      const git = (args: string) => execSync(`git ${args}`, { cwd: ROOT, encoding: 'utf8' }).trim();
      return `${git('rev-parse --short HEAD')}${git('status --porcelain --untracked-files=no') ? ' + local changes' : ''}`;
    } catch {
      return 'unknown';
    }
  })();
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const ms = (value: number) => round(value, 2);
  return [
    SECTION_START,
    `## Endpoint pools — ${date} UTC, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    '',
    `\`npm run bench:pools\` at \`${commit}\`. Gateway, stand-in replicas and load generator share the machine`,
    `(load average ${loadavg()[0].toFixed(1)} at the end of the run: other work on the machine shows in the tails).`,
    '',
    `**Prefix affinity** — ${REPLICAS} stand-in vLLM replicas per policy, each answering a prompt whose first 256`,
    `characters it holds in cache (LRU, ${CACHE_CAPACITY} prefixes) in ${HIT_MS} ms, otherwise in ${MISS_MS} ms; ${CALLS}`,
    `streamed code completions, ${CONCURRENCY} at a time, from ${USERS} users on ${FILES_PER_USER} files each (same`,
    'sequence for both policies). TTFT: request sent to first body byte at the client.',
    '',
    '| policy | cache hit rate | TTFT p50 ms | TTFT p99 ms | busiest / least busy replica | errors |',
    '| --- | --- | --- | --- | --- | --- |',
    ...affinity.map(
      (row) =>
        `| ${row.policy} | ${Math.round(row.hitRate * 100)} % | ${ms(row.ttftP50Ms)} | ${ms(row.ttftP99Ms)} | ${round(row.imbalance, 2)} | ${row.errors} |`,
    ),
    '',
    `**Added latency of routing** — the same completion at ${LATENCY_RATE} RPS (open loop, ${LATENCY_RUN_S} s, median of`,
    `${LATENCY_ROUNDS} alternating runs) to a stand-in answering at once: unrouted (the request names the replica) and routed`,
    '(the request names an endpoint a route maps to a one-replica pool).',
    '',
    '| | p50 ms | p99 ms |',
    '| --- | --- | --- |',
    `| unrouted | ${ms(latency.directP50Ms)} | ${ms(latency.directP99Ms)} |`,
    `| routed | ${ms(latency.routedP50Ms)} | ${ms(latency.routedP99Ms)} |`,
    `| added by routing | ${ms(latency.routedP50Ms - latency.directP50Ms)} | ${ms(latency.routedP99Ms - latency.directP99Ms)} |`,
    '',
    `**Balancer cost per pick** (in process, ${REPLICAS} replicas)`,
    '',
    '| pick | µs |',
    '| --- | --- |',
    ...picks.map(([name, us]) => `| ${name} | ${round(us, 3)} |`),
    SECTION_END,
  ].join('\n');
}

function writeSection(text: string): void {
  const docs = readFileSync(DOCS, 'utf8');
  const start = docs.indexOf(SECTION_START);
  const end = docs.indexOf(SECTION_END);
  const updated =
    start >= 0 && end > start
      ? `${docs.slice(0, start)}${text}${docs.slice(end + SECTION_END.length)}`
      : `${docs.trimEnd()}\n\n${text}\n`;
  writeFileSync(DOCS, updated);
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/apps/gateway/main.js'))) throw new Error('build first: npm run build');
  const folder = mkdtempSync(join(tmpdir(), 'aigw-bench-pools-'));
  const cache = { prefixChars: 256, hitDelayMs: HIT_MS, capacity: CACHE_CAPACITY };
  const start = () => PoolBackendFake.start({ delayMs: MISS_MS, chunks: ['ok', '!'], prefixCache: cache });
  const lor = await Promise.all(Array.from({ length: REPLICAS }, start));
  const affinity = await Promise.all(Array.from({ length: REPLICAS }, start));
  const plain = await PoolBackendFake.start({ chunks: ['ok'] });
  const gitlab = await FakeOidcProvider.start();
  writeFileSync(join(folder, 'routes.json'), routesFile(lor, affinity, plain));
  const gateway = await startGateway(
    {
      AIGW_GITLAB_URL: gitlab.issuer,
      AIGW_SHUTDOWN_GRACE_PERIOD_S: '1',
      AIGW_MODEL_ROUTES__FILE: join(folder, 'routes.json'),
    },
    join(folder, 'gateway.log'),
  );
  try {
    const rows = [
      await affinityRun(gitlab, gateway.baseUrl, LOR_ENDPOINT, 'least outstanding requests', lor),
      await affinityRun(gitlab, gateway.baseUrl, AFFINITY_ENDPOINT, 'prefix affinity (user, file)', affinity),
    ];
    const latency = await latencyRuns(gitlab, gateway.baseUrl, plain.url);
    const picks: Array<[string, number]> = [
      ['least outstanding requests', pickCostUs('least_outstanding', undefined)],
      ['prefix affinity, key = user + file path', pickCostUs('prefix_affinity', '42\nsrc/app/models/user.rb')],
      [
        'prefix affinity, key = user + 2,048 prompt characters',
        pickCostUs('prefix_affinity', `42\n${'x'.repeat(2048)}`),
      ],
    ];
    const text = section(rows, latency, picks);
    writeSection(text);
    process.stdout.write(`${text}\n`);
  } finally {
    await gateway.stop();
    await Promise.all([...lor, ...affinity, plain].map((fake) => fake.close()));
    await gitlab.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
