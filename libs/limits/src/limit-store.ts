/** One scope's limits (user, instance or pool); 0 means no limit of that kind. */
export interface ScopeLimits {
  /** The store key of the scope, e.g. `user:42`; unique per scope and id. */
  key: string;
  concurrent: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
}

export type LimitKind = 'concurrent' | 'requests' | 'tokens';

export type AdmitOutcome =
  | { admitted: true }
  | {
      admitted: false;
      /** Index into the scopes passed in. */
      scope: number;
      limit: LimitKind;
      retryAfterMs: number;
    };

export interface AdmitRequest {
  scopes: readonly ScopeLimits[];
  leaseId: string;
  leaseTtlMs: number;
  /** false: only tells whether a request would be admitted now, taking nothing. */
  take: boolean;
}

/**
 * Where limits live: Redis (shared by every replica) or this process's memory, with the same semantics.
 * Concurrency is a set of leases that expire unless renewed; requests and tokens per minute are token
 * buckets holding up to one minute's budget, refilled evenly. Every method is atomic across all scopes.
 */
export abstract class LimitStore {
  /** All scopes admit the request, or nothing changes and the first refusing scope is named. */
  abstract admit(request: AdmitRequest): Promise<AdmitOutcome>;
  /** Pushes the lease's expiry to `leaseTtlMs` from now where it still holds a slot. */
  abstract renew(keys: readonly string[], leaseId: string, leaseTtlMs: number): Promise<void>;
  /**
   * The end of a request: frees its slot in each scope with a concurrent limit, and takes `tokens` from each
   * scope's tokens-per-minute budget (which may go below zero: a debt that later requests wait out).
   */
  abstract finish(scopes: readonly ScopeLimits[], leaseId: string, tokens: number): Promise<void>;
}

/** A token bucket's level at `now`: one minute refills it from empty to `perMinute`. */
export function refilled(level: number, at: number, now: number, perMinute: number): number {
  return Math.min(perMinute, level + (Math.max(0, now - at) * perMinute) / 60_000);
}

/** How long until a bucket at `level` holds `wanted`. */
export function refillMs(level: number, wanted: number, perMinute: number): number {
  return Math.max(1, Math.ceil(((wanted - level) * 60_000) / perMinute));
}

/** A concurrency refusal: slots free when requests end, not on a schedule; one second is a fair retry. */
export const CONCURRENCY_RETRY_MS = 1000;
