export { LimitStore } from './limit-store';
export { MemoryLimitStore } from './memory-limit-store';
export { RedisLimitStore } from './redis-limit-store';
export { RedisConnection } from './redis-connection';
export { LimitMetrics } from './limit-metrics';
export { LimitsService } from './limits.service';
export { CacheStore, MemoryCacheStore, RedisCacheStore } from './cache-store';
export { CompletionCache } from './completion-cache';
