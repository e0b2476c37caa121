import { Global, Module, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import {
  CacheStore,
  CompletionCache,
  LimitMetrics,
  LimitsService,
  MemoryCacheStore,
  MemoryLimitStore,
  RedisCacheStore,
  RedisLimitStore,
} from '@app/limits';
import { ModelCallGate } from '@app/models';
import { AppConfig } from '../config';
import { ReadinessRegistry } from '../health/readiness-registry';
import { LimitsGate } from './limits-gate';
import { SharedState } from './shared-state';

function limitsService(config: AppConfig, shared: SharedState, registry: Registry): LimitsService {
  const { limits, redis } = config;
  const store = shared.redis ? new RedisLimitStore(shared.redis) : new MemoryLimitStore();
  return new LimitsService(
    store,
    {
      budgets: { user: limits.perUser, instance: limits.perInstance, pool: limits.perPool },
      leaseTtlMs: limits.leaseTtlS * 1000,
      failurePolicy: redis.failurePolicy,
      storeTimeoutMs: redis.timeoutMs,
    },
    new LimitMetrics(registry),
  );
}

function completionCache(config: AppConfig, shared: SharedState, registry: Registry): CompletionCache {
  const { completionCache: cache, redis } = config;
  const store: CacheStore = shared.redis ? new RedisCacheStore(shared.redis) : new MemoryCacheStore(cache.maxEntries);
  return new CompletionCache(
    store,
    { ttlMs: cache.ttlS * 1000, sharedAcrossUsers: cache.sharedAcrossUsers, storeTimeoutMs: redis.timeoutMs },
    registry,
  );
}

/** Limits per user, instance and pool on every model call, and the completion cache (docs/scaling.md). */
@Global()
@Module({
  providers: [
    SharedState,
    { provide: LimitsService, inject: [AppConfig, SharedState, Registry], useFactory: limitsService },
    { provide: CompletionCache, inject: [AppConfig, SharedState, Registry], useFactory: completionCache },
    LimitsGate,
    { provide: ModelCallGate, useExisting: LimitsGate },
  ],
  exports: [LimitsService, CompletionCache, ModelCallGate],
})
export class LimitsModule implements OnModuleInit {
  private registered = false;

  constructor(
    private readonly shared: SharedState,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** Readiness shows Redis; it fails on an unreachable Redis only when requests would fail too (fail closed). */
  onModuleInit(): void {
    // A hybrid app runs the init hooks again when it starts the gRPC microservice.
    if (this.registered || !this.shared.redis) return;
    this.registered = true;
    const redis = this.shared.redis;
    const policy = this.config.redis.failurePolicy;
    this.readiness.register(async (): Promise<HealthIndicatorResult> => {
      try {
        await redis.ping();
        return { redis: { status: 'up', failure_policy: policy } };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const status = policy === 'open' ? 'up' : 'down';
        return { redis: { status, failure_policy: policy, reachable: false, reason } };
      }
    });
  }
}
