import {
  AdmitOutcome,
  AdmitRequest,
  CONCURRENCY_RETRY_MS,
  LimitStore,
  refilled,
  refillMs,
  ScopeLimits,
} from './limit-store';

interface Bucket {
  level: number;
  at: number;
  perMinute: number;
}

/** How often forgotten state (expired leases, full buckets) is dropped, so memory stays bounded by live scopes. */
const SWEEP_INTERVAL_MS = 60_000;

/** The limits of one process, without Redis: the same semantics as {@link RedisLimitStore}, held in maps. */
export class MemoryLimitStore extends LimitStore {
  /** Scope key → lease id → expiry (ms). */
  private readonly leases = new Map<string, Map<string, number>>();
  private readonly requestBuckets = new Map<string, Bucket>();
  private readonly tokenBuckets = new Map<string, Bucket>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    super();
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  async admit({ scopes, leaseId, leaseTtlMs, take }: AdmitRequest): Promise<AdmitOutcome> {
    const now = this.now();
    const requestLevels: number[] = [];
    for (const [index, scope] of scopes.entries()) {
      if (scope.concurrent > 0 && this.liveLeases(scope.key, now).size >= scope.concurrent) {
        return { admitted: false, scope: index, limit: 'concurrent', retryAfterMs: CONCURRENCY_RETRY_MS };
      }
      if (scope.requestsPerMinute > 0) {
        const level = this.level(this.requestBuckets, scope.key, scope.requestsPerMinute, now);
        if (level < 1) {
          const retryAfterMs = refillMs(level, 1, scope.requestsPerMinute);
          return { admitted: false, scope: index, limit: 'requests', retryAfterMs };
        }
        requestLevels[index] = level;
      }
      if (scope.tokensPerMinute > 0) {
        const level = this.level(this.tokenBuckets, scope.key, scope.tokensPerMinute, now);
        if (level <= 0) {
          const retryAfterMs = refillMs(level, 1, scope.tokensPerMinute);
          return { admitted: false, scope: index, limit: 'tokens', retryAfterMs };
        }
      }
    }
    if (!take) return { admitted: true };
    for (const [index, scope] of scopes.entries()) {
      if (scope.concurrent > 0) this.liveLeases(scope.key, now).set(leaseId, now + leaseTtlMs);
      if (scope.requestsPerMinute > 0) {
        this.requestBuckets.set(scope.key, {
          level: requestLevels[index] - 1,
          at: now,
          perMinute: scope.requestsPerMinute,
        });
      }
    }
    return { admitted: true };
  }

  async renew(keys: readonly string[], leaseId: string, leaseTtlMs: number): Promise<void> {
    const now = this.now();
    for (const key of keys) {
      const leases = this.liveLeases(key, now);
      if (leases.has(leaseId)) leases.set(leaseId, now + leaseTtlMs);
    }
  }

  async finish(scopes: readonly ScopeLimits[], leaseId: string, tokens: number): Promise<void> {
    const now = this.now();
    for (const scope of scopes) {
      if (scope.concurrent > 0) this.leases.get(scope.key)?.delete(leaseId);
      if (scope.tokensPerMinute <= 0 || tokens <= 0) continue;
      const level = this.level(this.tokenBuckets, scope.key, scope.tokensPerMinute, now);
      this.tokenBuckets.set(scope.key, { level: level - tokens, at: now, perMinute: scope.tokensPerMinute });
    }
  }

  /** Stops the sweeper (tests, shutdown). */
  close(): void {
    clearInterval(this.sweeper);
  }

  private liveLeases(key: string, now: number): Map<string, number> {
    let leases = this.leases.get(key);
    if (!leases) {
      leases = new Map();
      this.leases.set(key, leases);
    }
    for (const [id, expiry] of leases) if (expiry <= now) leases.delete(id);
    return leases;
  }

  private level(buckets: Map<string, Bucket>, key: string, perMinute: number, now: number): number {
    const bucket = buckets.get(key);
    return bucket ? refilled(bucket.level, bucket.at, now, perMinute) : perMinute;
  }

  private sweep(): void {
    const now = this.now();
    for (const key of this.leases.keys()) if (this.liveLeases(key, now).size === 0) this.leases.delete(key);
    // A full bucket is the same as no bucket.
    for (const buckets of [this.requestBuckets, this.tokenBuckets]) {
      for (const [key, { level, at, perMinute }] of buckets) {
        if (refilled(level, at, now, perMinute) >= perMinute) buckets.delete(key);
      }
    }
  }
}
