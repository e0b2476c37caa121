import { randomUUID } from 'node:crypto';
import { startTestRedis, TestRedis } from '@test/helpers/redis-server';
import { LimitStore, ScopeLimits } from './limit-store';
import { MemoryLimitStore } from './memory-limit-store';
import { RedisConnection } from './redis-connection';
import { RedisLimitStore } from './redis-limit-store';

const NONE = { concurrent: 0, requestsPerMinute: 0, tokensPerMinute: 0 };
const scope = (limits: Partial<ScopeLimits>): ScopeLimits => ({ ...NONE, key: `test:${randomUUID()}`, ...limits });

/** Resolves once `condition` holds, checking every 10 ms; fails after `withinMs`. */
async function eventually(condition: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > withinMs) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

let redis: TestRedis;
let connection: RedisConnection;
let memory: MemoryLimitStore;

beforeAll(async () => {
  redis = await startTestRedis();
  connection = new RedisConnection({ url: redis.url, timeoutMs: 1000, keyPrefix: 'spec:' });
  await connection.connected(5000);
  memory = new MemoryLimitStore();
});
afterAll(async () => {
  memory.close();
  await connection.close();
  await redis.stop();
});

// The same cases against both stores: the in-memory store is the embedded stand-in for Redis.
describe.each([
  ['MemoryLimitStore', () => memory as LimitStore],
  ['RedisLimitStore', () => new RedisLimitStore(connection) as LimitStore],
])('%s', (_name, storeOf) => {
  let store: LimitStore;
  beforeAll(() => {
    store = storeOf();
  });
  const take = (scopes: ScopeLimits[], leaseId: string = randomUUID(), leaseTtlMs = 30_000) =>
    store.admit({ scopes, leaseId, leaseTtlMs, take: true });
  const peek = (scopes: ScopeLimits[]) => store.admit({ scopes, leaseId: '', leaseTtlMs: 30_000, take: false });

  it('admits up to the concurrent limit, refuses the next with a one-second retry, and admits again after a release', async () => {
    const user = scope({ concurrent: 2 });
    expect(await take([user], 'a')).toEqual({ admitted: true });
    expect(await take([user], 'b')).toEqual({ admitted: true });
    expect(await take([user], 'c')).toEqual({ admitted: false, scope: 0, limit: 'concurrent', retryAfterMs: 1000 });
    await store.finish([user], 'a', 0);
    expect(await take([user], 'c')).toEqual({ admitted: true });
  });

  it('admits exactly the limit out of many simultaneous requests (no read-modify-write race)', async () => {
    const user = scope({ concurrent: 10 });
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => take([user])));
    expect(outcomes.filter((outcome) => outcome.admitted)).toHaveLength(10);
  });

  it('changes nothing in any scope when one scope refuses, and names that scope', async () => {
    const instance = scope({ concurrent: 5, requestsPerMinute: 5 });
    const user = scope({ concurrent: 1 });
    expect(await take([instance, user])).toEqual({ admitted: true });
    expect(await take([instance, user])).toMatchObject({ admitted: false, scope: 1, limit: 'concurrent' });
    // The refused request took neither a slot nor a request from the instance: 4 of each are left.
    const alone = await Promise.all(Array.from({ length: 5 }, () => take([instance])));
    expect(alone.map((outcome) => outcome.admitted)).toEqual([true, true, true, true, false]);
  });

  it('frees a slot whose lease expired, and keeps one whose lease is renewed', async () => {
    const kept = scope({ concurrent: 1 });
    const lost = scope({ concurrent: 1 });
    await take([kept], 'kept', 1000);
    await take([lost], 'lost', 1000);
    const renewal = setInterval(() => void store.renew([kept.key], 'kept', 1000), 200);
    try {
      const freedAfter = await eventually(async () => (await take([lost], 'next', 1000)).admitted, 3000);
      expect(freedAfter).toBeGreaterThan(500);
      expect(freedAfter).toBeLessThan(2000);
      expect(await take([kept], 'other', 1000)).toMatchObject({ admitted: false, limit: 'concurrent' });
    } finally {
      clearInterval(renewal);
    }
  });

  it('admits the requests-per-minute budget at once, then refuses with the time until the next request', async () => {
    const user = scope({ requestsPerMinute: 3 });
    for (let i = 0; i < 3; i += 1) expect(await take([user])).toEqual({ admitted: true });
    const refused = await take([user]);
    expect(refused).toMatchObject({ admitted: false, scope: 0, limit: 'requests' });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(19_000);
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(20_000);
  });

  it('refills the requests budget evenly over the minute', async () => {
    const user = scope({ requestsPerMinute: 60 });
    let admitted = 0;
    while ((await take([user])).admitted) admitted += 1;
    // The whole budget at once (plus what refilled while taking it, on a slow machine).
    expect(admitted).toBeGreaterThanOrEqual(60);
    expect(admitted).toBeLessThanOrEqual(62);
    // 60 per minute is one a second.
    const refilledAfter = await eventually(async () => (await take([user])).admitted, 3000);
    expect(refilledAfter).toBeLessThan(1500);
  });

  it('takes nothing when only checking', async () => {
    const user = scope({ concurrent: 1, requestsPerMinute: 1 });
    expect(await peek([user])).toEqual({ admitted: true });
    expect(await peek([user])).toEqual({ admitted: true });
    expect(await take([user])).toEqual({ admitted: true });
    expect(await peek([user])).toMatchObject({ admitted: false, limit: 'concurrent' });
  });

  it('refuses once charged tokens exhaust the tokens-per-minute budget, until the debt is refilled', async () => {
    const user = scope({ tokensPerMinute: 100 });
    expect(await take([user])).toEqual({ admitted: true });
    await store.finish([user], '', 99);
    expect(await take([user])).toEqual({ admitted: true });
    await store.finish([user], '', 51);
    const refused = await take([user]);
    expect(refused).toMatchObject({ admitted: false, limit: 'tokens' });
    // 50 tokens in debt, one more wanted: 51 tokens at 100 per minute.
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(29_000);
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(30_600);
  });

  it('frees the slot and charges the tokens of a finished request together', async () => {
    const user = scope({ concurrent: 1, tokensPerMinute: 10 });
    await take([user], 'done');
    // Past the budget (not just at it: a refill of a few milliseconds would admit at the edge).
    await store.finish([user], 'done', 12);
    expect(await take([user])).toMatchObject({ admitted: false, limit: 'tokens' });
    const other = scope({ concurrent: 1, tokensPerMinute: 10 });
    await take([other], 'done');
    await store.finish([other], 'done', 5);
    expect(await take([other])).toEqual({ admitted: true });
  });

  it('ignores kinds whose limit is 0', async () => {
    const user = scope({});
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => take([user])));
    expect(outcomes.every((outcome) => outcome.admitted)).toBe(true);
  });
});
