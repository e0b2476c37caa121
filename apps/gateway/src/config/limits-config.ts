import { IsUrl, ValidateIf } from 'class-validator';
import { EnvBoolean, EnvInt, EnvOneOf, EnvString, Nested, Secret } from './config-decorators';

/** One scope's limits; 0 = no limit of that kind. */
export class ScopeLimitsConfig {
  @EnvInt(0, 1_000_000) concurrent = 0;
  @EnvInt(0, 1_000_000_000) requestsPerMinute = 0;
  @EnvInt(0, 1_000_000_000_000) tokensPerMinute = 0;
}

/** Limits per GitLab user, per GitLab instance and per model backend pool (docs/scaling.md). */
export class LimitsConfig {
  @Nested(() => ScopeLimitsConfig) perUser = new ScopeLimitsConfig();
  @Nested(() => ScopeLimitsConfig) perInstance = new ScopeLimitsConfig();
  @Nested(() => ScopeLimitsConfig) perPool = new ScopeLimitsConfig();
  /** A concurrency slot not renewed for this long is free again: how soon a dead replica's slots return. */
  @EnvInt(1, 3600) leaseTtlS = 30;
}

/** Shared state of the replicas (limits, completion cache); empty URL: each process keeps its own. */
export class RedisConfig {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  @Secret()
  @ValidateIf((_, value) => value !== '')
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['redis', 'rediss'] },
    { message: 'must be a redis:// or rediss:// URL' },
  )
  url = '';
  /** Longest wait for one Redis command; past it the failure policy applies. */
  @EnvInt(1, 60_000) timeoutMs = 250;
  /** Redis down or slow: `open` lets requests through (logging a warning), `closed` refuses them with 503. */
  @EnvOneOf(['open', 'closed']) failurePolicy: 'open' | 'closed' = 'open';
  @EnvString() keyPrefix = 'aigw:';
}

/** Identical code completion requests answered from a cache (Redis when configured, else memory). */
export class CompletionCacheConfig {
  @EnvBoolean() enabled = false;
  @EnvInt(1, 86_400) ttlS = 60;
  /** Bound of the in-memory cache (the least recently used entry goes first); Redis bounds its own memory. */
  @EnvInt(1, 10_000_000) maxEntries = 10_000;
  /** Answer one user's request from another user's identical one. */
  @EnvBoolean() sharedAcrossUsers = false;
}
