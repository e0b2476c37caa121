import { Logger } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { EndpointPool } from './endpoint-pool';
import { PoolBackend } from './pool-backend';
import { isBackendFailure, isRetryableFailure } from './pool-failures';
import { PoolMetrics } from './pool-metrics';
import { RoutePlan } from './model-routes';

/** One try of a call on one backend. */
export interface Attempt {
  target: ModelTarget;
  request: ModelRequest;
  /** The backend began its answer: it is working. */
  answered(): void;
  /** Records the end; `error` absent means it completed, `stopped` that the caller stopped reading. */
  end(error?: unknown, stopped?: boolean): void;
}

/**
 * The backends one call tries, in order: the route's pool, then its fallbacks; in each pool a backend the
 * balancer picks among those available and not tried yet, up to the pool's `max_attempts`. Every try after the
 * first is paid from the retry budget of the pool it goes to.
 */
export class CallAttempts {
  private poolIndex = 0;
  private triesInPool = 0;
  private readonly tried = new Set<PoolBackend>();
  private previous?: { pool: EndpointPool; backend: PoolBackend };
  private lastError?: unknown;

  constructor(
    private readonly plan: RoutePlan,
    private readonly target: ModelTarget,
    private readonly request: ModelRequest,
    private readonly metrics: PoolMetrics,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `error` of the last attempt may go to another backend. */
  mayRetry(error: unknown): boolean {
    this.lastError = error;
    return this.request.signal?.aborted !== true && isRetryableFailure(error);
  }

  /** The next attempt; throws the last failure (or "no backend available") when there is none. */
  next(): Attempt {
    for (; this.poolIndex < this.plan.pools.length; this.poolIndex += 1, this.triesInPool = 0) {
      const pool = this.plan.pools[this.poolIndex];
      if (this.triesInPool >= pool.config.retry.maxAttempts) continue;
      const request = this.requestFor(pool, this.poolIndex === 0);
      if (!request) continue;
      const choice = pool.choose(this.now(), this.tried, this.affinityKey(pool, request));
      if (!choice) continue;
      if (this.previous) {
        if (!pool.retryBudget.tryRetry(this.now())) break;
        this.metrics.retried(this.previous.pool.name, this.previous.backend.name);
      }
      if (this.triesInPool === 0) {
        pool.retryBudget.recordCall(this.now());
        if (this.poolIndex > 0) this.metrics.fellBack(this.plan.route, pool.name);
      }
      if (choice.affinity) this.metrics.picked(pool.name, choice.affinity);
      this.triesInPool += 1;
      this.tried.add(choice.backend);
      this.previous = { pool, backend: choice.backend };
      return this.start(pool, choice.backend, request);
    }
    throw this.lastError ?? this.noBackend();
  }

  private start(pool: EndpointPool, backend: PoolBackend, request: ModelRequest): Attempt {
    const { apiKey, model, url } = backend.config;
    const target = {
      ...this.target,
      apiBase: url,
      apiKey: apiKey ?? this.target.apiKey,
      model: model ?? this.target.model,
    };
    const startedAt = process.hrtime.bigint();
    backend.outstanding += 1;
    let ended = false;
    return {
      target,
      request,
      answered: () => backend.succeeded(),
      end: (error?: unknown, stopped = false) => {
        if (ended) return;
        ended = true;
        backend.outstanding -= 1;
        const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
        const cancelled = stopped || this.request.signal?.aborted === true;
        const result = cancelled ? 'cancelled' : error === undefined ? 'ok' : 'failed';
        this.metrics.attempted(pool.name, backend.name, result, seconds);
        if (cancelled) return;
        if (error === undefined || !isBackendFailure(error)) return backend.succeeded();
        if (!backend.failed(this.now())) return;
        this.metrics.ejected(pool.name, backend.name);
        this.logger.warn(`Backend ${backend.name} of pool ${pool.name} ejected after consecutive failures`);
      },
    };
  }

  /**
   * The request as a pool's models need it. A pool of another family than the request's gets the prompt written
   * for its family when the caller can write it (`rewriteFor`); a fallback pool that cannot get one is skipped,
   * while the route's own pool takes the request as it is.
   */
  private requestFor(pool: EndpointPool, primary: boolean): ModelRequest | undefined {
    const family = pool.config.family;
    if (!family || !this.request.family || family === this.request.family) return this.request;
    const rewritten = this.rewritten(family);
    if (!rewritten) return primary ? this.request : undefined;
    return { ...rewritten, signal: this.request.signal, timeoutS: this.request.timeoutS };
  }

  /** The caller's request for `family`; none when it cannot write one (no prompt of that family, say). */
  private rewritten(family: string): ModelRequest | undefined {
    try {
      return this.request.rewriteFor?.(family);
    } catch (error) {
      this.logger.warn(`Cannot write the request for model family ${family}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** (user, file or prompt start): the same user's requests on the same file share their prompt's prefix. */
  private affinityKey(pool: EndpointPool, request: ModelRequest): string | undefined {
    if (pool.config.balance !== 'prefix_affinity') return undefined;
    const prefix = request.affinityKey ?? promptStart(request, pool.config.affinity.prefixChars);
    return `${request.userId ?? ''}\n${prefix}`;
  }

  private noBackend(): AppError {
    const names = this.plan.pools.map((pool) => pool.name).join(', ');
    return new AppError(
      ErrorCode.ModelUnreachable,
      `No backend of model pool ${names} is available: all are out (ejected or failing their health check)`,
    );
  }
}

function promptStart(request: ModelRequest, chars: number): string {
  let text = '';
  for (const message of request.messages) {
    text += `${message.role}:${message.content}\n`;
    if (text.length >= chars) break;
  }
  return text.slice(0, chars);
}
