export { AdmitOutcome, LimitKind, LimitStore, ScopeLimits } from './limit-store';
export { MemoryLimitStore } from './memory-limit-store';
export { RedisLimitStore } from './redis-limit-store';
export { RedisConnection, RedisConnectionOptions } from './redis-connection';
export { LimitMetrics } from './limit-metrics';
export { FailurePolicy, LimitScope, LimitsOptions, LimitSubject, ScopeBudget } from './limits-options';
export { Admission, LimitsService, QUOTA_EXCEEDED_SUFFIX } from './limits.service';
export { CacheStore, MemoryCacheStore, RedisCacheStore } from './cache-store';
export { CompletionCache, CompletionCacheOptions } from './completion-cache';
