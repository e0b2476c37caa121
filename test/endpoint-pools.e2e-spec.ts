import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolBackendFake } from './fakes/pool-backend.server';
import { ccBody } from './helpers/code-suggestion-bodies';
import { useGatewayStack } from './helpers/gateway-stack';

/** Endpoints GitLab would send; no server listens there: the routes file maps them to the stand-in replicas. */
const SPREAD_ENDPOINT = 'http://spread.vllm.internal:8000/v1';
const KILL_ENDPOINT = 'http://kill.vllm.internal:8000/v1';
const STALL_ENDPOINT = 'http://stall.vllm.internal:8000/v1';
const CHUNKS = ['re', 'turn', ' a', ' + b'];

interface Backends {
  spread: PoolBackendFake[];
  kill: PoolBackendFake[];
  stall: PoolBackendFake[];
}

function routesFile(backends: Backends): string {
  const list = (fakes: PoolBackendFake[], prefix: string, weights = [1, 1, 1]) =>
    fakes.map((fake, index) => ({ name: `${prefix}${index + 1}`, url: fake.url, weight: weights[index] }));
  return JSON.stringify({
    pools: {
      spread: { backends: list(backends.spread, 's', [1, 2, 3]) },
      kill: { retry: { max_attempts: 3, budget_ratio: 0.5 }, backends: list(backends.kill, 'k') },
      stall: {
        health_check: {
          path: '/health',
          interval_s: 0.1,
          timeout_s: 1,
          unhealthy_threshold: 2,
          healthy_threshold: 2,
        },
        backends: list(backends.stall, 't'),
      },
    },
    routes: [
      { name: 'spread', match: { endpoint: SPREAD_ENDPOINT }, pool: 'spread' },
      { name: 'kill', match: { endpoint: KILL_ENDPOINT }, pool: 'kill' },
      { name: 'stall', match: { host: 'stall.vllm.internal', family: 'codegemma' }, pool: 'stall' },
    ],
  });
}

/** Issue 17: endpoint pools in front of three stand-in vLLM replicas each. */
describe('endpoint pools (AIGW_MODEL_ROUTES__FILE)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'aigw-routes-'));
  let backends: Backends;
  beforeAll(async () => {
    const start = (count: number, options = {}) =>
      Promise.all(Array.from({ length: count }, () => PoolBackendFake.start({ chunks: CHUNKS, ...options })));
    backends = {
      spread: await start(3, { delayMs: 5 }),
      kill: await start(3, { delayMs: 20, chunkGapMs: 10 }),
      stall: await start(3),
    };
    writeFileSync(join(folder, 'routes.json'), routesFile(backends));
  });
  const stack = useGatewayStack({ env: { AIGW_MODEL_ROUTES__FILE: join(folder, 'routes.json') } });
  afterAll(async () => {
    await Promise.all(
      Object.values(backends)
        .flat()
        .map((backend) => backend.close()),
    );
    rmSync(folder, { recursive: true, force: true });
  });

  /** One streamed completion: its status, its text, and whether it began streaming (200 and a first byte). */
  async function complete(endpoint: string): Promise<{ status: number; text: string; started: boolean }> {
    const response = await stack.post('/v2/code/completions', ccBody(endpoint, { stream: true }));
    let text = '';
    let started = false;
    try {
      for await (const part of response.body!) {
        started = response.status === 200;
        text += Buffer.from(part).toString('utf8');
      }
    } catch {
      // A stream cut after its first bytes: counted by its text.
    }
    return { status: response.status, text, started };
  }

  /** `total` completions, `concurrency` at a time; `during(done)` runs after each one ends. */
  async function load(endpoint: string, total: number, concurrency: number, during?: (done: number) => unknown) {
    const results: Array<Awaited<ReturnType<typeof complete>>> = [];
    let next = 0;
    const worker = async () => {
      while (next < total) {
        next += 1;
        results.push(await complete(endpoint));
        await during?.(results.length);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return results;
  }

  async function metric(name: string, pool: string, backend: string): Promise<number | undefined> {
    const text = await (await fetch(stack.gateway.metricsUrl)).text();
    const line = text
      .split('\n')
      .find(
        (row) => row.startsWith(`${name}{`) && row.includes(`pool="${pool}"`) && row.includes(`backend="${backend}"`),
      );
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  async function until(condition: () => Promise<boolean>): Promise<void> {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  it('spreads calls by weight (1 : 2 : 3) within ±10 %', async () => {
    const results = await load(SPREAD_ENDPOINT, 600, 24);
    expect(results.every((result) => result.status === 200 && result.text === CHUNKS.join(''))).toBe(true);
    const served = backends.spread.map((backend) => backend.completed);
    expect(served.reduce((sum, count) => sum + count, 0)).toBe(600);
    [1, 2, 3].forEach((weight, index) => {
      const share = (600 * weight) / 6;
      expect(Math.abs(served[index] - share)).toBeLessThanOrEqual(share * 0.1);
    });
  });

  it('loses no call that had not started streaming when a replica is killed mid-run', async () => {
    const [, victim] = backends.kill;
    let killed: Promise<void> | undefined;
    const results = await load(KILL_ENDPOINT, 240, 12, (done) => {
      if (done === 60) killed = victim.kill();
    });
    await killed;
    const notStartedFailures = results.filter((result) => !result.started && result.status !== 200);
    expect(notStartedFailures).toEqual([]);
    // Only calls the victim was already streaming can fail, and only after their first bytes.
    const failed = results.filter((result) => result.text !== CHUNKS.join(''));
    expect(failed.every((result) => result.started)).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(victim.received - victim.completed);
    expect(await metric('model_backend_ejections_total', 'kill', 'k2')).toBeGreaterThanOrEqual(1);
    expect(await metric('model_backend_healthy', 'kill', 'k2')).toBe(0);
    expect(await metric('model_backend_retries_total', 'kill', 'k2')).toBeGreaterThanOrEqual(1);
  });

  it('takes a stalled replica out by its health check and brings it back when it answers again', async () => {
    const [, stalled] = backends.stall;
    const healthy = (value: number) => async () => (await metric('model_backend_healthy', 'stall', 't2')) === value;
    await until(healthy(1));
    stalled.stall();
    await until(healthy(0));
    const before = stalled.received;
    const whileOut = await load(STALL_ENDPOINT, 30, 3);
    expect(whileOut.every((result) => result.status === 200 && result.text === CHUNKS.join(''))).toBe(true);
    expect(stalled.received).toBe(before);

    stalled.resume();
    await until(healthy(1));
    const back = await load(STALL_ENDPOINT, 30, 1);
    expect(back.every((result) => result.status === 200)).toBe(true);
    expect(stalled.completed).toBe(10);
  });
});

/** Issue 17: fallback pools of another model family, and reloading the routes file. */
describe('endpoint pools: fallbacks and reloads', () => {
  const FALLBACK_ENDPOINT = 'http://fallback.vllm.internal:8000/v1';
  const RELOAD_ENDPOINT = 'http://reload.vllm.internal:8000/v1';
  const folder = mkdtempSync(join(tmpdir(), 'aigw-routes-'));
  const file = join(folder, 'routes.yaml');
  let closedPortUrl: string;
  let replica: PoolBackendFake;

  beforeAll(async () => {
    const closed = await PoolBackendFake.start();
    closedPortUrl = closed.url;
    await closed.kill();
    replica = await PoolBackendFake.start({ chunks: ['from the pool'] });
  });
  const routes = (modelUrl: string, extra = '') => `
pools:
  down:
    family: codegemma
    backends:
      - name: gone
        url: ${closedPortUrl}
  codestral:
    family: codestral
    backends:
      - name: cs
        url: ${modelUrl}
        model: codestral-22b
        api_key: sk-pool-key
${extra}
routes:
  - name: fallback
    match: {endpoint: ${FALLBACK_ENDPOINT}}
    pool: down
    fallbacks: [codestral]
`;
  const stack = useGatewayStack({
    env: ({ model }) => {
      writeFileSync(file, routes(model.url));
      return { AIGW_MODEL_ROUTES__FILE: file };
    },
  });
  afterAll(async () => {
    await replica.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const counter = async (name: string, labels: string) => {
    const text = await (await fetch(stack.gateway.metricsUrl)).text();
    const line = text.split('\n').find((row) => row.startsWith(`${name}{${labels}}`));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  const until = async (condition: () => Promise<boolean>) => {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 25));
  };

  it("sends a codegemma completion to a codestral fallback pool in codestral's own prompt, key and model", async () => {
    stack.model.script({ text: 'return a + b' });
    const seen = stack.model.requests.length;
    const response = await stack.post('/v2/code/completions', ccBody(FALLBACK_ENDPOINT));
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).choices[0].text).toBe('return a + b');
    const upstream = stack.model.requests[seen];
    expect(upstream.headers.authorization).toBe('Bearer sk-pool-key');
    expect(upstream.body.model).toBe('codestral-22b');
    // Codestral's FIM layout and stop tokens (prompt code_suggestions/completions/codestral), not CodeGemma's.
    expect(upstream.body.prompt).toContain('[SUFFIX]\n[PREFIX]def add(a, b):\n    ');
    expect(upstream.body.stop).toEqual(['[INST]', '[/INST]', '[PREFIX]', '[MIDDLE]', '[SUFFIX]']);
    expect(await counter('model_pool_fallbacks_total', 'route="fallback",pool="codestral"')).toBe(1);
  });

  it("writes a code generation for a codestral fallback pool in codestral's own prompt", async () => {
    const generation = (modelName: string, endpoint: string) => ({
      prompt_version: 2,
      prompt_id: 'code_suggestions/generations',
      prompt: 'write add',
      model_provider: 'litellm',
      model_name: modelName,
      model_endpoint: endpoint,
      current_file: { file_name: 'a.py', content_above_cursor: '# add\n', content_below_cursor: '' },
    });
    const upstreamOf = async (body: unknown) => {
      const seen = stack.model.requests.length;
      expect((await stack.post('/v2/code/generations', body)).status).toBe(200);
      return stack.model.requests[seen].body;
    };
    const asCodestral = await upstreamOf(generation('codestral', stack.model.url));
    const asCodegemma = await upstreamOf(generation('codegemma', stack.model.url));
    const viaFallback = await upstreamOf(generation('codegemma', FALLBACK_ENDPOINT));
    expect(asCodegemma.messages).not.toEqual(asCodestral.messages);
    expect(viaFallback).toEqual({ ...asCodestral, model: 'codestral-22b' });
  });

  it('applies a changed routes file, and keeps the last good one when a change does not validate', async () => {
    const before = await stack.post('/v2/code/completions', ccBody(RELOAD_ENDPOINT));
    expect(before.status).toBe(503);

    const applied = await counter('model_routes_reloads_total', 'result="applied"');
    const withReplica = routes(stack.model.url, `  replica:\n    backends:\n      - url: ${replica.url}\n`).concat(
      `  - name: reload\n    match: {endpoint: ${RELOAD_ENDPOINT}}\n    pool: replica\n`,
    );
    writeFileSync(file, withReplica);
    await until(async () => (await counter('model_routes_reloads_total', 'result="applied"')) > applied);
    const routed = await stack.post('/v2/code/completions', ccBody(RELOAD_ENDPOINT));
    expect(routed.status).toBe(200);
    expect(((await routed.json()) as any).choices[0].text).toBe('from the pool');

    writeFileSync(file, withReplica.replace('pool: replica', 'pool: nowhere'));
    await until(async () => (await counter('model_routes_reloads_total', 'result="rejected"')) > 0);
    const kept = await stack.post('/v2/code/completions', ccBody(RELOAD_ENDPOINT));
    expect(((await kept.json()) as any).choices[0].text).toBe('from the pool');
  });
});
