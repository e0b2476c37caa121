/** The limits of one kind of scope; 0 = no limit of that kind. */
export interface ScopeBudget {
  concurrent: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
}

export type LimitScope = 'user' | 'instance' | 'pool';

/** What Redis failing (down, or slower than its timeout) does to a request: let it through, or refuse it (503). */
export type FailurePolicy = 'open' | 'closed';

export interface LimitsOptions {
  budgets: Record<LimitScope, ScopeBudget>;
  /** A concurrency slot not renewed for this long is free again (a replica that died holding it). */
  leaseTtlMs: number;
  failurePolicy: FailurePolicy;
  /** Longest wait for the store; past it the failure policy applies. */
  storeTimeoutMs: number;
}

/** Who a request counts against; a scope without an id is not limited. */
export interface LimitSubject {
  /** GitLab global user id (`X-Gitlab-Global-User-Id`, else the token subject). */
  user?: string;
  instance?: string;
  /** The backend pool the model call goes to. */
  pool?: string;
  /** The pool's metric label: a configured pool name or `other` (never an unbounded value). */
  poolLabel?: string;
}

export const LIMIT_SCOPES: readonly LimitScope[] = ['user', 'instance', 'pool'];

export const hasLimit = (budget: ScopeBudget): boolean =>
  budget.concurrent > 0 || budget.requestsPerMinute > 0 || budget.tokensPerMinute > 0;
