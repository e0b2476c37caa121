import { Logger } from '@nestjs/common';
import { Clock } from './clock';
import { OidcKeyFetcher } from './oidc-key-fetcher';
import { VerificationKey } from './verification-key';

/** http-api.md §1.3. */
const CACHE_TTL_MS = 86_400_000;

export interface KeySourceStatus {
  origin: string;
  /** `null` until the first fetch has answered (or failed). */
  reachable: boolean | null;
  keys: number;
  fetchedAt?: string;
  error?: string;
}

/**
 * The cached keys of one OIDC provider. Fetched lazily, kept 24 h, refetched on demand no more often than
 * the floor; a failed fetch keeps the last keys that were fetched, so a GitLab blip never drops them.
 */
export class OidcKeySource {
  private keys: readonly VerificationKey[] = [];
  private fetchedAtMs?: number;
  private attemptedAtMs?: number;
  private lastError?: string;
  private answered = false;
  private inFlight?: Promise<boolean>;
  private readonly logger = new Logger('auth.keys');

  constructor(
    readonly origin: string,
    private readonly fetcher: OidcKeyFetcher,
    private readonly clock: Clock,
    private readonly floorMs: number,
  ) {}

  current(): readonly VerificationKey[] {
    return this.keys;
  }

  /** Starts a fetch when the cache is empty or older than 24 h (and the floor allows); resolves when done. */
  async ensureFresh(): Promise<void> {
    const now = this.clock.nowMs();
    const expired = this.fetchedAtMs === undefined || now - this.fetchedAtMs >= CACHE_TTL_MS;
    if (expired) await this.refetch();
  }

  /** Fetches again unless the floor forbids it; resolves to whether the key set changed. */
  refetch(): Promise<boolean> {
    if (this.inFlight) return this.inFlight;
    const now = this.clock.nowMs();
    if (this.attemptedAtMs !== undefined && now - this.attemptedAtMs < this.floorMs) return Promise.resolve(false);
    this.attemptedAtMs = now;
    this.inFlight = this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  status(): KeySourceStatus {
    return {
      origin: this.origin,
      reachable: this.answered ? this.lastError === undefined : null,
      keys: this.keys.length,
      ...(this.fetchedAtMs !== undefined ? { fetchedAt: new Date(this.fetchedAtMs).toISOString() } : {}),
      ...(this.lastError !== undefined ? { error: this.lastError } : {}),
    };
  }

  private async fetch(): Promise<boolean> {
    try {
      const keys = await this.fetcher.fetchKeys(this.origin);
      const changed = fingerprint(keys) !== fingerprint(this.keys);
      this.keys = keys;
      this.fetchedAtMs = this.clock.nowMs();
      this.lastError = undefined;
      if (changed) this.logger.log({ origin: this.origin, keys: keys.length, message: 'Fetched OIDC keys' });
      return changed;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.logger.warn({ origin: this.origin, error: this.lastError, message: 'Could not fetch OIDC keys' });
      return false;
    } finally {
      this.answered = true;
    }
  }
}

const fingerprint = (keys: readonly VerificationKey[]) =>
  keys.map(({ kid, key }) => `${kid}:${key.export({ format: 'jwk' }).n}`).join(',');
