import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { LimitMetrics } from './limit-metrics';
import { AdmitOutcome, LimitKind, LimitStore, ScopeLimits } from './limit-store';
import { hasLimit, LIMIT_SCOPES, LimitScope, LimitsOptions, LimitSubject } from './limits-options';

/** A request admitted by the limits: renews its slots while it runs; `finish` frees them and charges tokens. */
export interface Admission {
  /** Idempotent; `tokens` is what the model reported using (input + output). */
  finish(tokens?: number): void;
}

const NOTHING_HELD: Admission = { finish: () => undefined };

/** Workhorse turns a RESOURCE_EXHAUSTED ending with this into a quota message (agent-platform.md §4.4). */
const QUOTA_EXCEEDED_SUFFIX = 'Error code: USAGE_QUOTA_EXCEEDED';

const LIMIT_WORDS: Record<LimitKind, (budget: number) => string> = {
  concurrent: (budget) => `${budget} concurrent requests`,
  requests: (budget) => `${budget} requests per minute`,
  tokens: (budget) => `${budget} tokens per minute`,
};

/**
 * A request's slots are renewed at most this long: a caller that never calls `finish` (a bug) loses its slots
 * a lease TTL later instead of holding them forever. Longer than any model call.
 */
const MAX_RENEWAL_MS = 2 * 60 * 60 * 1000;

/** Failures of the store are logged at most this often (a Redis outage would otherwise log every request). */
const FAILURE_LOG_INTERVAL_MS = 10_000;

/** Per-user, per-instance and per-pool limits over a {@link LimitStore}, with the configured failure policy. */
export class LimitsService {
  private readonly logger = new Logger('limits');
  private lastFailureLog = 0;

  constructor(
    private readonly store: LimitStore,
    private readonly options: LimitsOptions,
    private readonly metrics: LimitMetrics,
  ) {}

  /** Takes a concurrency slot and a request from every scope of `subject`, or throws 429 / RESOURCE_EXHAUSTED. */
  /** Some limit is configured: without one every call is admitted without asking the store. */
  get limited(): boolean {
    return LIMIT_SCOPES.some((kind) => hasLimit(this.options.budgets[kind]));
  }

  async admit(subject: LimitSubject): Promise<Admission> {
    const { scopes, kinds } = this.scopesOf(subject);
    if (scopes.length === 0) return NOTHING_HELD;
    const leaseId = randomUUID();
    const { leaseTtlMs } = this.options;
    const outcome = await this.ask(() => this.store.admit({ scopes, leaseId, leaseTtlMs, take: true }));
    if (!outcome) return NOTHING_HELD;
    if (!outcome.admitted) throw this.refusal(outcome, scopes, kinds, subject);
    return this.held(scopes, leaseId);
  }

  /** Whether `subject` would be admitted now, taking nothing: the start of a workflow. */
  async check(subject: LimitSubject): Promise<void> {
    const { scopes, kinds } = this.scopesOf(subject);
    if (scopes.length === 0) return;
    const { leaseTtlMs } = this.options;
    const outcome = await this.ask(() => this.store.admit({ scopes, leaseId: '', leaseTtlMs, take: false }));
    if (outcome && !outcome.admitted) throw this.refusal(outcome, scopes, kinds, subject);
  }

  private scopesOf(subject: LimitSubject): { scopes: ScopeLimits[]; kinds: LimitScope[] } {
    const scopes: ScopeLimits[] = [];
    const kinds: LimitScope[] = [];
    for (const kind of LIMIT_SCOPES) {
      const id = subject[kind];
      const budget = this.options.budgets[kind];
      if (!id || !hasLimit(budget)) continue;
      scopes.push({ key: `${kind}:${id}`, ...budget });
      kinds.push(kind);
    }
    return { scopes, kinds };
  }

  private held(scopes: ScopeLimits[], leaseId: string): Admission {
    const leaseKeys = scopes.filter((scope) => scope.concurrent > 0).map((scope) => scope.key);
    const charged = scopes.some((scope) => scope.tokensPerMinute > 0);
    const { leaseTtlMs } = this.options;
    const renewUntil = Date.now() + MAX_RENEWAL_MS;
    const renew = () => {
      if (Date.now() > renewUntil) return clearInterval(renewal);
      void this.quietly(this.store.renew(leaseKeys, leaseId, leaseTtlMs));
    };
    const renewal = leaseKeys.length > 0 ? setInterval(renew, leaseTtlMs / 3) : undefined;
    renewal?.unref();
    let finished = false;
    return {
      finish: (tokens = 0) => {
        if (finished) return;
        finished = true;
        clearInterval(renewal);
        if (leaseKeys.length > 0 || (charged && tokens > 0)) {
          void this.quietly(this.store.finish(scopes, leaseId, tokens));
        }
      },
    };
  }

  /** The store's answer, or undefined when it failed and the policy lets the request through. */
  private async ask(call: () => Promise<AdmitOutcome>): Promise<AdmitOutcome | undefined> {
    try {
      return await this.bounded(call());
    } catch (error) {
      const { failurePolicy } = this.options;
      this.metrics.storeFailed(failurePolicy);
      this.logFailure(error, failurePolicy === 'open' ? 'request let through (fail open)' : 'request refused');
      if (failurePolicy === 'open') return undefined;
      throw new AppError(ErrorCode.Unavailable, 'Limits cannot be checked: the limits store (Redis) is unavailable', {
        cause: error,
      });
    }
  }

  /** Renewal, release and charges: a failure costs accuracy, never the request. */
  private async quietly(call: Promise<void>): Promise<void> {
    try {
      await this.bounded(call);
    } catch (error) {
      this.logFailure(error, 'a lease or token charge was not recorded');
    }
  }

  /** Redis commands carry their own timeout; this one also bounds a script load and any store. */
  private bounded<T>(call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.options.storeTimeoutMs} ms`)),
        this.options.storeTimeoutMs,
      );
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }

  private logFailure(error: unknown, consequence: string): void {
    const now = Date.now();
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
    this.lastFailureLog = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`Limits store failed (${reason}): ${consequence}`);
  }

  private refusal(
    outcome: Extract<AdmitOutcome, { admitted: false }>,
    scopes: ScopeLimits[],
    kinds: LimitScope[],
    subject: LimitSubject,
  ): AppError {
    const kind = kinds[outcome.scope];
    const scope = scopes[outcome.scope];
    this.metrics.rejected(kind, outcome.limit, subject.poolLabel ?? 'other');
    const budget =
      outcome.limit === 'concurrent'
        ? scope.concurrent
        : outcome.limit === 'requests'
          ? scope.requestsPerMinute
          : scope.tokensPerMinute;
    const retryAfterS = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
    return new AppError(
      ErrorCode.ResourceExhausted,
      `Limit of ${LIMIT_WORDS[outcome.limit](budget)} per ${kind} reached; retry in ${retryAfterS} s. ${QUOTA_EXCEEDED_SUFFIX}`,
      { retryAfterS },
    );
  }
}
