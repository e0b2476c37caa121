import { ModelFake } from '@gitlab-ai-gateway/provider-api/testing';
import { startOpenAiFake } from './fakes/openai-compatible.server';
import { ccBody } from './helpers/code-suggestion-bodies';
import { GatewayProcess, killSpawnedGateways, spawnGateway } from './helpers/gateway-process';
import { startTestRedis, TestRedis } from './helpers/redis-server';

// Generous: on a loaded machine a shorter one lets a check time out and fail open, and the count is off by one.
const REDIS_TIMEOUT_MS = 1000;
const LEASE_TTL_S = 2;

/** Replicas sharing limits through a real Redis (docs/scaling.md "Limits and cache"). */
describe('limits shared across replicas through Redis', () => {
  let redis: TestRedis;
  let model: ModelFake;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const env = (extra: Record<string, string> = {}) => ({
    AIGW_AUTH__BYPASS_EXTERNAL: 'true',
    AIGW_CUSTOM_MODELS__ENABLED: 'true',
    AIGW_REDIS__URL: redis.url,
    AIGW_REDIS__TIMEOUT_MS: String(REDIS_TIMEOUT_MS),
    AIGW_LIMITS__PER_USER__CONCURRENT: '10',
    AIGW_LIMITS__PER_USER__REQUESTS_PER_MINUTE: '30',
    AIGW_LIMITS__LEASE_TTL_S: String(LEASE_TTL_S),
    ...extra,
  });

  beforeAll(async () => {
    [redis, model] = await Promise.all([startTestRedis(), startOpenAiFake()]);
    [a, b] = await Promise.all([spawnGateway(env()), spawnGateway(env())]);
  });
  afterAll(async () => {
    killSpawnedGateways();
    await Promise.all([redis.stop(), model.close()]);
  });

  const complete = (gateway: GatewayProcess, user: string, signal?: AbortSignal) =>
    fetch(`http://127.0.0.1:${gateway.httpPort}/v2/code/completions`, {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', 'x-gitlab-global-user-id': user },
      body: JSON.stringify(ccBody(model.url)),
    });
  /** Bounded: a request that should have been refused would otherwise wait for a held model answer. */
  const statusOf = async (gateway: GatewayProcess, user: string) => {
    const response = await complete(gateway, user, AbortSignal.timeout(10_000));
    await response.arrayBuffer();
    return response.status;
  };
  /** Holds every model answer until the returned function is called. */
  const holdModel = () => {
    let release!: () => void;
    model.script({ text: 'x', hold: new Promise<void>((resolve) => (release = resolve)) });
    return () => {
      model.script({ text: 'x' });
      release();
    };
  };
  /** Calls `attempt` every 50 ms until it returns true; resolves with the time that took. */
  const until = async (attempt: () => Promise<boolean>, withinMs: number) => {
    const started = Date.now();
    while (!(await attempt())) {
      if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Date.now() - started;
  };

  it('allows 10 concurrent requests of one user in total over two replicas and refuses the 11th on either', async () => {
    const release = holdModel();
    const seen = model.requests.length;
    const held = [
      ...Array.from({ length: 5 }, () => complete(a, 'u-conc')),
      ...Array.from({ length: 5 }, () => complete(b, 'u-conc')),
    ];
    await model.waitForRequests(seen + 10);
    expect(await statusOf(a, 'u-conc')).toBe(429);
    expect(await statusOf(b, 'u-conc')).toBe(429);
    release();
    expect((await Promise.all(held)).map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(await statusOf(b, 'u-conc')).toBe(200);
  });

  it('holds the per-minute budget over both replicas to within one request', async () => {
    model.script({ text: 'x' });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) statuses.push(await statusOf(i % 2 === 0 ? a : b, 'u-rpm'));
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(30);
    expect(admitted).toBeLessThanOrEqual(31);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - admitted);
  });

  it('gives back the slots of a replica killed with SIGKILL within the lease TTL', async () => {
    const c = await spawnGateway(env());
    const release = holdModel();
    const seen = model.requests.length;
    const held = Array.from({ length: 10 }, () => complete(c, 'u-kill').catch(() => undefined));
    await model.waitForRequests(seen + 10);
    expect(await statusOf(a, 'u-kill')).toBe(429);
    c.child.kill('SIGKILL');
    await c.exited;
    const killedAt = Date.now();
    release();
    await Promise.all(held);
    expect(await statusOf(a, 'u-kill')).toBe(429);
    await until(async () => (await statusOf(a, 'u-kill')) === 200, LEASE_TTL_S * 1000 + 2000);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(LEASE_TTL_S * 1000 + 1000);
  });

  it('applies the failure policy while Redis is down, never waiting past its timeout, and enforces limits again once it is back', async () => {
    const closed = await spawnGateway(env({ AIGW_REDIS__FAILURE_POLICY: 'closed' }));
    const ready = async (gateway: GatewayProcess) =>
      (await fetch(`http://127.0.0.1:${gateway.httpPort}/monitoring/ready`)).status;
    expect(await ready(closed)).toBe(200);
    model.script({ text: 'x' });
    await redis.kill();

    const timed = async (gateway: GatewayProcess) => {
      const started = Date.now();
      const status = await statusOf(gateway, 'u-outage');
      return { status, ms: Date.now() - started };
    };
    const open = await timed(a);
    expect(open.status).toBe(200);
    expect(open.ms).toBeLessThan(REDIS_TIMEOUT_MS + 800);
    await a.waitForLog((line) => String(line.message).startsWith('Limits store failed'));
    const refused = await timed(closed);
    expect(refused.status).toBe(503);
    expect(refused.ms).toBeLessThan(REDIS_TIMEOUT_MS + 800);
    expect(await ready(closed)).toBe(503);
    expect(await ready(a)).toBe(200);

    await redis.restart();
    await until(async () => (await ready(closed)) === 200, 10_000);
    await until(
      async () => (await statusOf(a, 'u-probe')) === 200 && (await statusOf(closed, 'u-probe')) === 200,
      10_000,
    );
    const release = holdModel();
    const seen = model.requests.length;
    const held = [
      ...Array.from({ length: 5 }, () => complete(a, 'u-back')),
      ...Array.from({ length: 5 }, () => complete(closed, 'u-back')),
    ];
    await model.waitForRequests(seen + 10);
    expect(await statusOf(closed, 'u-back')).toBe(429);
    expect(await statusOf(a, 'u-back')).toBe(429);
    release();
    await Promise.all(held);
  });
});
