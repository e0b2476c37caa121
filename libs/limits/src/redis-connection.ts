import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

export interface RedisConnectionOptions {
  url: string;
  /** Longest wait for one command; a Redis that is down fails at once (no offline queue). */
  timeoutMs: number;
  /** Put in front of every key, so several gateways (or other tenants) can share one Redis. */
  keyPrefix: string;
}

/** Longest pause between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * The one client of Redis: every command has its own short timeout and fails at once while disconnected,
 * so a slow or dead Redis never holds a request longer than `timeoutMs`.
 */
export class RedisConnection {
  private readonly client: Redis;
  private readonly shas = new Map<string, string>();

  constructor(private readonly options: RedisConnectionOptions) {
    // Loaded only when a Redis is configured: a gateway without one does not pay for it at start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
    this.client = new RedisClient(options.url, {
      commandTimeout: options.timeoutMs,
      connectTimeout: Math.max(options.timeoutMs, 1000),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
      // ioredis logs "Unhandled error event" without a listener; failures are reported per command instead.
      lazyConnect: false,
    });
    this.client.on('error', () => undefined);
  }

  /** Resolves true once connected, false if that takes longer than `withinMs` (the client keeps trying). */
  async connected(withinMs: number): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    let timer: NodeJS.Timeout | undefined;
    let onReady: (() => void) | undefined;
    const ready = new Promise<boolean>((resolve) => {
      onReady = () => resolve(true);
      this.client.once('ready', onReady);
      timer = setTimeout(() => resolve(false), withinMs);
    });
    try {
      return await ready;
    } finally {
      clearTimeout(timer);
      this.client.off('ready', onReady!);
    }
  }

  /** Runs a Lua script by its SHA-1, loading it on the first call and after a Redis restart. */
  async script(source: string, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    const prefixed = keys.map((key) => this.options.keyPrefix + key);
    const sha = this.shaOf(source);
    try {
      return await this.client.evalsha(sha, prefixed.length, ...prefixed, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.client.eval(source, prefixed.length, ...prefixed, ...args);
    }
  }

  async get(key: string): Promise<string | null> {
    return this.client.get(this.options.keyPrefix + key);
  }

  async setWithTtl(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(this.options.keyPrefix + key, value, 'PX', ttlMs);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private shaOf(source: string): string {
    let sha = this.shas.get(source);
    if (!sha) {
      sha = createHash('sha1').update(source).digest('hex');
      this.shas.set(source, sha);
    }
    return sha;
  }
}
