import { Registry } from 'prom-client';
import { startTestRedis, TestRedis } from '@test/helpers/redis-server';
import { CacheStore, MemoryCacheStore, RedisCacheStore } from './cache-store';
import { CompletionCache } from './completion-cache';
import { RedisConnection } from './redis-connection';

let redis: TestRedis;
let connection: RedisConnection;
beforeAll(async () => {
  redis = await startTestRedis();
  connection = new RedisConnection({ url: redis.url, timeoutMs: 1000, keyPrefix: 'spec:' });
  await connection.connected(5000);
});
afterAll(async () => {
  await connection.close();
  await redis.stop();
});

const REQUEST = [{ provider: 'custom_openai', model: 'codegemma', apiKey: 'sk-secret' }, { messages: ['def f('] }];

describe.each([
  ['MemoryCacheStore', () => new MemoryCacheStore(100) as CacheStore],
  ['RedisCacheStore', () => new RedisCacheStore(connection) as CacheStore],
])('%s behind CompletionCache', (_name, storeOf) => {
  const cacheOf = (sharedAcrossUsers = false, ttlMs = 60_000) =>
    new CompletionCache(storeOf(), { ttlMs, sharedAcrossUsers, storeTimeoutMs: 1000 }, new Registry());

  it('answers the same request of the same user, not of another user, and counts hits and misses', async () => {
    const registry = new Registry();
    const cache = new CompletionCache(
      storeOf(),
      { ttlMs: 60_000, sharedAcrossUsers: false, storeTimeoutMs: 1000 },
      registry,
    );
    const mine = cache.keyOf('u1', REQUEST)!;
    expect(await cache.get(mine)).toBeUndefined();
    await cache.set(mine, 'x + 1)');
    expect(await cache.get(mine)).toBe('x + 1)');
    expect(await cache.get(cache.keyOf('u2', REQUEST)!)).toBeUndefined();
    expect(cache.keyOf(undefined, REQUEST)).toBeUndefined();
    const counts = await registry.getSingleMetricAsString('gateway_completion_cache_requests_total');
    expect(counts).toContain('{result="hit"} 1');
    expect(counts).toContain('{result="miss"} 2');
  });

  it('shares answers across users only when configured', async () => {
    const cache = cacheOf(true);
    expect(cache.keyOf('u1', REQUEST)).toBe(cache.keyOf('u2', REQUEST));
    expect(cache.keyOf(undefined, REQUEST)).toBe(cache.keyOf('u2', REQUEST));
  });

  it('forgets an answer after its TTL', async () => {
    const cache = cacheOf(false, 50);
    const key = cache.keyOf('u1', [...REQUEST, 'ttl'])!;
    await cache.set(key, 'soon gone');
    expect(await cache.get(key)).toBe('soon gone');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await cache.get(key)).toBeUndefined();
  });
});

describe(CompletionCache.name, () => {
  it('keys by a hash that holds neither the prompt nor the API key', () => {
    const cache = new CompletionCache(
      new MemoryCacheStore(10),
      { ttlMs: 1000, sharedAcrossUsers: false, storeTimeoutMs: 100 },
      new Registry(),
    );
    expect(cache.keyOf('u1', REQUEST)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps at most maxEntries in memory, dropping the least recently used', async () => {
    const store = new MemoryCacheStore(2);
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.get('a');
    await store.set('c', '3', 60_000);
    expect(store.size).toBe(2);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('1');
  });
});
