import { RedisConnection } from './redis-connection';

/** Where cached completions live: Redis (shared by replicas) or a bounded map in this process. */
export abstract class CacheStore {
  abstract get(key: string): Promise<string | undefined>;
  abstract set(key: string, value: string, ttlMs: number): Promise<void>;
}

export class RedisCacheStore extends CacheStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(`cache:${key}`)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.setWithTtl(`cache:${key}`, value, ttlMs);
  }
}

/** At most `maxEntries` entries; the least recently used goes first (a Map keeps insertion order). */
export class MemoryCacheStore extends CacheStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
