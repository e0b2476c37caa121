import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { CacheStore } from './cache-store';

export interface CompletionCacheOptions {
  ttlMs: number;
  /** Answer one user's request from another user's identical one (off: a request without a user id is not cached). */
  sharedAcrossUsers: boolean;
  storeTimeoutMs: number;
}

/** Completions longer than this are not kept: the cache is for short code completions. */
const MAX_CACHED_CHARS = 64 * 1024;

/**
 * Answers identical code completion requests (same model, endpoint, prompt and parameters) within a short TTL.
 * Entries are keyed by a SHA-256 of the request, so neither prompts nor credentials appear in a key; the
 * value is the completion text only. A store failure is a miss, never a failed request.
 */
export class CompletionCache {
  private readonly logger = new Logger('completion-cache');
  private readonly lookups: Counter<'result'>;

  constructor(
    private readonly store: CacheStore,
    private readonly options: CompletionCacheOptions,
    registry: Registry,
  ) {
    this.lookups = new Counter({
      name: 'gateway_completion_cache_requests_total',
      help: 'Code completion cache lookups, by result (hit, miss)',
      labelNames: ['result'],
      registers: [registry],
    });
  }

  /** The entry's key, or undefined when the request may not be cached (no user and no sharing). */
  keyOf(user: string | undefined, request: unknown): string | undefined {
    if (!user && !this.options.sharedAcrossUsers) return undefined;
    const owner = this.options.sharedAcrossUsers ? '*' : user;
    return createHash('sha256')
      .update(JSON.stringify([owner, request]))
      .digest('hex');
  }

  async get(key: string): Promise<string | undefined> {
    let value: string | undefined;
    try {
      value = await this.bounded(this.store.get(key));
    } catch (error) {
      this.logger.warn(`Completion cache lookup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.lookups.inc({ result: value === undefined ? 'miss' : 'hit' });
    return value;
  }

  /** Never rejects (a failure is logged), so callers may leave it running; an empty or very long text is not kept. */
  async set(key: string, text: string): Promise<void> {
    if (text === '' || text.length > MAX_CACHED_CHARS) return;
    try {
      await this.bounded(this.store.set(key, text, this.options.ttlMs));
    } catch (error) {
      this.logger.warn(`Completion cache store failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private bounded<T>(call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer in time')), this.options.storeTimeoutMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }
}
