import { Injectable } from '@nestjs/common';
import { RequestContextStore } from '@app/common';
import { CompletionCache } from '@app/limits';
import { ModelRequest, ModelTarget } from '@app/models';
import { AppConfig } from '../config';

/** A completion request's place in the cache: found (its text), or where to keep the answer. */
export type CacheLookup = { hit: true; text: string } | { hit: false; keep?: (text: string) => void };

/** Nothing to keep: the cache is off, or the request cannot be keyed. */
const NOT_CACHED: CacheLookup = { hit: false };

/**
 * The opt-in completion cache (`AIGW_COMPLETION_CACHE__*`) for code completions: the same model, endpoint,
 * credentials, prompt and parameters from the same user (or any user, when shared) within the TTL.
 */
@Injectable()
export class CachedCompletions {
  constructor(
    private readonly cache: CompletionCache,
    private readonly config: AppConfig,
  ) {}

  async lookup(target: ModelTarget, request: ModelRequest): Promise<CacheLookup> {
    if (!this.config.completionCache.enabled) return NOT_CACHED;
    const { signal: _signal, userId: _userId, ...prompt } = request;
    const key = this.cache.keyOf(RequestContextStore.current()?.caller?.user, [target, prompt]);
    if (!key) return NOT_CACHED;
    const text = await this.cache.get(key);
    if (text !== undefined) return { hit: true, text };
    return { hit: false, keep: (answer) => void this.cache.set(key, answer) };
  }
}
