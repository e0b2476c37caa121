import { Registry } from 'prom-client';
import { AppError, ErrorCode } from '@app/common';
import { Chunk, Completion, ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { EndpointPool } from './endpoint-pool';
import { RoutePlan } from './model-routes';
import { PooledCalls } from './pooled-calls';
import { PoolMetrics } from './pool-metrics';
import { parseRoutes } from './routes-file';

const TARGET: ModelTarget = {
  provider: 'text-completion-openai',
  model: 'codegemma',
  apiBase: 'http://vllm/v1',
  apiKey: 'k',
};
const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'def add' }], family: 'codegemma' };
const COMPLETION: Completion = { text: 'ok', toolCalls: [], finishReason: 'stop' };

const status = (code: number) =>
  new AppError(
    code === 429 ? ErrorCode.ModelRateLimited : code >= 500 ? ErrorCode.ModelFailed : ErrorCode.ModelRejected,
    `status ${code}`,
    {
      upstreamStatus: code,
    },
  );
const refused = () => new AppError(ErrorCode.ModelUnreachable, 'Model server unreachable (ECONNREFUSED)');
const timeout = () => new AppError(ErrorCode.ModelTimeout, 'Model server went silent past the read timeout');

function planOf(yaml: string): RoutePlan {
  const config = parseRoutes(yaml, 'routes.yaml');
  const route = config.routes[0];
  return {
    route: route.name,
    pools: [route.pool, ...route.fallbacks].map((name) => new EndpointPool(config.pools.get(name)!)),
  };
}

const TWO_POOLS = `
pools:
  main:
    retry: {max_attempts: 3, min_retries: 100}
    backends: [{name: a, url: "http://a/v1"}, {name: b, url: "http://b/v1"}, {name: c, url: "http://c/v1"}]
  spare:
    family: codestral
    backends: [{name: s, url: "http://s/v1", model: codestral-22b, api_key: sk-spare}]
routes:
  - {name: r, match: {family: codegemma}, pool: main, fallbacks: [spare]}
`;

describe(PooledCalls.name, () => {
  let pooled: PooledCalls;
  beforeEach(() => (pooled = new PooledCalls(new PoolMetrics(new Registry()))));

  /** A backend call that fails with `failures[host]` (once each, in order) and succeeds otherwise; records hosts. */
  function backendsFailing(failures: Record<string, Error[]>) {
    const calls: Array<{ host: string; target: ModelTarget; request: ModelRequest }> = [];
    const call = async (target: ModelTarget, request: ModelRequest) => {
      const host = new URL(target.apiBase!).host;
      calls.push({ host, target, request });
      const failure = failures[host]?.shift();
      if (failure) throw failure;
      return COMPLETION;
    };
    return { calls, call };
  }

  it.each([
    ['connection refused', refused],
    ['429', () => status(429)],
    ['502', () => status(502)],
    ['503', () => status(503)],
  ])('retries on another backend after %s', async (_, failure) => {
    const { calls, call } = backendsFailing({ a: [failure()], b: [failure()] });
    await expect(pooled.generate(planOf(TWO_POOLS), TARGET, REQUEST, call)).resolves.toBe(COMPLETION);
    expect(calls.map((entry) => entry.host)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['400', () => status(400)],
    ['500', () => status(500)],
    ['a timeout', timeout],
  ])('does not retry after %s', async (_, failure) => {
    const error = failure();
    const { calls, call } = backendsFailing({ a: [error], b: [error], c: [error] });
    await expect(pooled.generate(planOf(TWO_POOLS), TARGET, REQUEST, call)).rejects.toBe(error);
    expect(calls).toHaveLength(1);
  });

  it('never retries once a stream has sent its first chunk', async () => {
    const cut = new AppError(ErrorCode.ModelMalformed, 'closed mid-response', { cause: { code: 'UND_ERR_SOCKET' } });
    let calls = 0;
    async function* call(): AsyncGenerator<Chunk> {
      calls += 1;
      yield { type: 'text', text: 're' };
      throw cut;
    }
    const seen: Chunk[] = [];
    const consume = async () => {
      for await (const chunk of pooled.stream(planOf(TWO_POOLS), TARGET, REQUEST, call)) seen.push(chunk);
    };
    await expect(consume()).rejects.toBe(cut);
    expect(seen).toEqual([{ type: 'text', text: 're' }]);
    expect(calls).toBe(1);
  });

  it('retries a stream cut before its first chunk', async () => {
    const cut = new AppError(ErrorCode.ModelMalformed, 'closed mid-response', { cause: { code: 'UND_ERR_SOCKET' } });
    const hosts: string[] = [];
    async function* call(target: ModelTarget): AsyncGenerator<Chunk> {
      hosts.push(new URL(target.apiBase!).host);
      if (hosts.length === 1) throw cut;
      yield { type: 'text', text: 'ok' };
    }
    const chunks: Chunk[] = [];
    for await (const chunk of pooled.stream(planOf(TWO_POOLS), TARGET, REQUEST, call)) chunks.push(chunk);
    expect(chunks).toEqual([{ type: 'text', text: 'ok' }]);
    expect(hosts).toHaveLength(2);
    expect(hosts[0]).not.toBe(hosts[1]);
  });

  it("gives a fallback pool of another family the request written for it, with the backend's key and model", async () => {
    const { calls, call } = backendsFailing({ a: [refused()], b: [refused()], c: [refused()] });
    const signal = new AbortController().signal;
    const rewriteFor = (family: string): ModelRequest => ({
      messages: [{ role: 'user', content: `<${family}>` }],
      family,
      stop: ['[SUFFIX]'],
    });
    await pooled.generate(planOf(TWO_POOLS), TARGET, { ...REQUEST, signal, rewriteFor }, call);
    const last = calls[3];
    expect(last.target).toEqual({ ...TARGET, apiBase: 'http://s/v1', apiKey: 'sk-spare', model: 'codestral-22b' });
    expect(last.request).toMatchObject({
      messages: [{ role: 'user', content: '<codestral>' }],
      stop: ['[SUFFIX]'],
      signal,
    });
  });

  it('skips a fallback pool of another family when the request cannot be written for it', async () => {
    const { calls, call } = backendsFailing({ a: [refused()], b: [refused()], c: [refused()] });
    await expect(pooled.generate(planOf(TWO_POOLS), TARGET, REQUEST, call)).rejects.toMatchObject({
      code: ErrorCode.ModelUnreachable,
    });
    expect(calls.map((entry) => entry.host)).toEqual(['a', 'b', 'c']);
  });

  it('skips a fallback pool whose family the caller has no prompt for', async () => {
    const { calls, call } = backendsFailing({ a: [refused()], b: [refused()], c: [refused()] });
    const rewriteFor = (family: string): ModelRequest => {
      throw new AppError(ErrorCode.NotFound, `no prompt for ${family}`);
    };
    await expect(pooled.generate(planOf(TWO_POOLS), TARGET, { ...REQUEST, rewriteFor }, call)).rejects.toMatchObject({
      code: ErrorCode.ModelUnreachable,
    });
    expect(calls.map((entry) => entry.host)).toEqual(['a', 'b', 'c']);
  });

  it('stops retrying when the pool has spent its retry budget', async () => {
    const plan = planOf(TWO_POOLS.replace('min_retries: 100', 'min_retries: 1, budget_ratio: 0'));
    const { calls, call } = backendsFailing({ a: [refused()], b: [refused()], c: [refused()] });
    await expect(pooled.generate(plan, TARGET, REQUEST, call)).rejects.toMatchObject({
      code: ErrorCode.ModelUnreachable,
    });
    expect(calls).toHaveLength(2);
  });

  it('ejects a backend after consecutive failures, and fails at once when no backend is left', async () => {
    const plan = planOf(
      'pools:\n  p:\n    ejection: {consecutive_failures: 2}\n    backends: [{name: a, url: "http://a/v1"}]\nroutes:\n  - {match: {family: x}, pool: p}\n',
    );
    const { calls, call } = backendsFailing({ a: [refused(), refused()] });
    await expect(pooled.generate(plan, TARGET, REQUEST, call)).rejects.toMatchObject({
      code: ErrorCode.ModelUnreachable,
    });
    await expect(pooled.generate(plan, TARGET, REQUEST, call)).rejects.toMatchObject({
      code: ErrorCode.ModelUnreachable,
    });
    await expect(pooled.generate(plan, TARGET, REQUEST, call)).rejects.toThrow(
      'No backend of model pool p is available: all are out (ejected or failing their health check)',
    );
    expect(calls).toHaveLength(2);
  });

  it('counts a call under way on its backend until it ends', async () => {
    const plan = planOf(TWO_POOLS);
    let release!: () => void;
    const call = () => new Promise<Completion>((resolve) => (release = () => resolve(COMPLETION)));
    const running = pooled.generate(plan, TARGET, REQUEST, call);
    expect(plan.pools[0].backends.map((backend) => backend.outstanding)).toEqual([1, 0, 0]);
    release();
    await running;
    expect(plan.pools[0].backends.map((backend) => backend.outstanding)).toEqual([0, 0, 0]);
  });
});
