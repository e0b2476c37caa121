import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { AppError, ErrorCode } from '@app/common';
import { startTestRedis, TestRedis } from '@test/helpers/redis-server';
import { LimitMetrics } from './limit-metrics';
import { LimitsOptions } from './limits-options';
import { LimitsService } from './limits.service';
import { MemoryLimitStore } from './memory-limit-store';
import { RedisConnection } from './redis-connection';
import { RedisLimitStore } from './redis-limit-store';

const NONE = { concurrent: 0, requestsPerMinute: 0, tokensPerMinute: 0 };
const TIMEOUT_MS = 150;

function options(overrides: Partial<LimitsOptions> = {}): LimitsOptions {
  return {
    budgets: { user: { ...NONE, concurrent: 1 }, instance: { ...NONE, requestsPerMinute: 2 }, pool: NONE },
    leaseTtlMs: 30_000,
    failurePolicy: 'open',
    storeTimeoutMs: TIMEOUT_MS,
    ...overrides,
  };
}

async function failureOf(call: Promise<unknown>): Promise<AppError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe(LimitsService.name, () => {
  let store: MemoryLimitStore;
  let registry: Registry;
  beforeEach(() => {
    store = new MemoryLimitStore();
    registry = new Registry();
  });
  afterEach(() => store.close());
  const service = (overrides: Partial<LimitsOptions> = {}) =>
    new LimitsService(store, options(overrides), new LimitMetrics(registry));
  const unregistered = (overrides: Partial<LimitsOptions>) =>
    new LimitsService(store, options(overrides), new LimitMetrics(new Registry()));

  it('refuses with RESOURCE_EXHAUSTED, a Retry-After and the quota suffix Workhorse matches, and counts the scope', async () => {
    const limits = service();
    const held = await limits.admit({ user: 'u1', instance: 'i1', pool: 'http://m:8000', poolLabel: 'other' });
    const refusal = await failureOf(limits.admit({ user: 'u1', instance: 'i1' }));
    expect(refusal.code).toBe(ErrorCode.ResourceExhausted);
    expect(refusal.retryAfterS).toBe(1);
    expect(refusal.message).toBe(
      'Limit of 1 concurrent requests per user reached; retry in 1 s. Error code: USAGE_QUOTA_EXCEEDED',
    );
    expect(await registry.getSingleMetricAsString('gateway_limit_rejections_total')).toContain(
      'gateway_limit_rejections_total{scope="user",limit="concurrent",pool="other"} 1',
    );
    held.finish();
    held.finish();
    await expect(limits.admit({ user: 'u1', instance: 'i2' })).resolves.toBeDefined();
  });

  it('checks a workflow start without taking anything', async () => {
    const limits = service();
    await limits.check({ user: 'u1', instance: 'i1' });
    await limits.check({ user: 'u1', instance: 'i1' });
    await limits.admit({ user: 'u9', instance: 'i1' });
    await limits.admit({ user: 'u8', instance: 'i1' });
    const refusal = await failureOf(limits.check({ user: 'u7', instance: 'i1' }));
    expect(refusal.message).toMatch(/^Limit of 2 requests per minute per instance reached; retry in 30 s\./);
  });

  it('leaves callers without an id, and kinds without a limit, unlimited', async () => {
    const limits = service();
    for (let i = 0; i < 5; i += 1) await limits.admit({ pool: 'p' });
    const unlimited = unregistered({ budgets: { user: NONE, instance: NONE, pool: NONE } });
    for (let i = 0; i < 5; i += 1) await unlimited.admit({ user: 'u1', instance: 'i1', pool: 'p' });
  });

  it('charges the reported tokens when the request finishes', async () => {
    const limits = service({ budgets: { user: { ...NONE, tokensPerMinute: 100 }, instance: NONE, pool: NONE } });
    (await limits.admit({ user: 'u1' })).finish(150);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await failureOf(limits.admit({ user: 'u1' }))).message).toMatch(/^Limit of 100 tokens per minute per user/);
  });

  describe('with a Redis slower than its timeout', () => {
    let redis: TestRedis;
    let connection: RedisConnection;
    let admin: Redis;
    beforeAll(async () => {
      redis = await startTestRedis();
      connection = new RedisConnection({ url: redis.url, timeoutMs: TIMEOUT_MS, keyPrefix: 'spec:' });
      admin = new Redis(redis.url);
      expect(await connection.connected(5000)).toBe(true);
    });
    afterAll(async () => {
      admin.disconnect();
      await connection.close();
      await redis.stop();
    });
    const redisService = (failurePolicy: 'open' | 'closed') =>
      new LimitsService(new RedisLimitStore(connection), options({ failurePolicy }), new LimitMetrics(registry));
    /** Every other client's commands wait up to 1 s; resolves once Redis has started pausing them. */
    const slowRedis = async () => {
      await admin.call('CLIENT', 'PAUSE', '1000', 'ALL');
      return () => admin.call('CLIENT', 'UNPAUSE');
    };

    it('lets the request through after the timeout when failing open, and counts the failure', async () => {
      const limits = redisService('open');
      const resume = await slowRedis();
      const started = Date.now();
      await expect(limits.admit({ user: 'u-open' })).resolves.toBeDefined();
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 200);
      await resume();
      expect(await registry.getSingleMetricAsString('gateway_limit_store_failures_total')).toContain(
        'gateway_limit_store_failures_total{policy="open"} 1',
      );
    });

    it('refuses with UNAVAILABLE after the timeout when failing closed', async () => {
      const limits = redisService('closed');
      const resume = await slowRedis();
      const started = Date.now();
      const failure = await failureOf(limits.admit({ user: 'u-closed' }));
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 200);
      await resume();
      expect(failure.code).toBe(ErrorCode.Unavailable);
      expect(failure.message).toBe('Limits cannot be checked: the limits store (Redis) is unavailable');
    });
  });
});
