import { Inject, Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { AppError, ErrorCode } from '@app/common';
import { MODELS_OPTIONS, ModelsOptions } from '../models-options';
import { CapacityMetrics, LimitLabels } from './capacity-metrics';
import { CapacityQueue, Refusal } from './capacity-queue';

/** A queue longer than this many times its limit could not drain within any sensible wait. */
const MAX_WAITING_PER_SLOT = 10;
const DEFAULT_QUEUE_TIMEOUT_S = 10;

/** Which limit a call counts against: its metric labels' engine and model name. */
export interface CapacityKey {
  modelEngine: string;
  modelName: string;
}

interface Limit {
  queue: CapacityQueue;
  labels: LimitLabels;
}

/**
 * The concurrency limits of `AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS` (`{"<engine>": {"<model name>": limit}}`, the
 * shape of GitLab's gateway), per process. A call over its model's limit waits in a bounded queue at most
 * `queueTimeoutS`, then is refused with 503 and `Retry-After`: local capacity, never a silent wait.
 */
@Injectable()
export class ModelCapacity {
  private readonly limits = new Map<string, Map<string, Limit>>();
  private readonly metrics: CapacityMetrics;

  constructor(
    @Inject(MODELS_OPTIONS) private readonly options: ModelsOptions,
    registry: Registry,
  ) {
    this.metrics = new CapacityMetrics(registry);
    const timeoutMs = Math.round(this.queueTimeoutS * 1000);
    for (const [engine, models] of Object.entries(options.concurrencyLimits ?? {})) {
      const byName = new Map<string, Limit>();
      for (const [name, limit] of Object.entries(models)) {
        const labels = { model_engine: engine, model_name: name };
        byName.set(name, { queue: new CapacityQueue(limit, limit * MAX_WAITING_PER_SLOT, timeoutMs), labels });
        this.metrics.limitConfigured(labels, limit);
      }
      this.limits.set(engine, byName);
    }
  }

  /**
   * `call()` once the model has a free slot, holding it until the call settles. A full queue or a wait past the
   * timeout is a 503 with `Retry-After`; an abort while waiting a cancellation. Models without a limit go at once.
   */
  async run<T>(key: CapacityKey, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    const limit = this.limitOf(key);
    if (!limit) return call();
    const release = limit.queue.tryAcquire() ?? (await this.wait(limit, signal));
    try {
      return await call();
    } finally {
      release();
    }
  }

  /**
   * The stream `open` makes, admitted as {@link run} admits a call when it is first pulled and holding its slot
   * until it ends or is left; the stream itself when the model has no limit, so unlimited streams pay nothing per
   * chunk. A limited stream is made only once admitted: a refused call never starts its upstream call (nor its
   * deadline timer).
   */
  stream<T>(key: CapacityKey, signal: AbortSignal | undefined, open: () => AsyncIterable<T>): AsyncIterable<T> {
    const limit = this.limitOf(key);
    return limit ? this.limited(limit, signal, open) : open();
  }

  private get queueTimeoutS(): number {
    return this.options.queueTimeoutS ?? DEFAULT_QUEUE_TIMEOUT_S;
  }

  private limitOf(key: CapacityKey): Limit | undefined {
    return this.limits.get(key.modelEngine)?.get(key.modelName);
  }

  private async *limited<T>(limit: Limit, signal: AbortSignal | undefined, open: () => AsyncIterable<T>) {
    const release = limit.queue.tryAcquire() ?? (await this.wait(limit, signal));
    try {
      yield* open();
    } finally {
      release();
    }
  }

  private async wait({ queue, labels }: Limit, signal: AbortSignal | undefined): Promise<() => void> {
    const startedAt = performance.now();
    const admission = queue.acquire(signal);
    this.metrics.queued(labels, queue.length);
    try {
      return await admission;
    } catch (reason) {
      if (reason === 'aborted') throw new AppError(ErrorCode.Cancelled, 'The request was cancelled');
      this.metrics.rejected(labels, reason as Refusal);
      throw this.busy(labels);
    } finally {
      this.metrics.waited(labels, (performance.now() - startedAt) / 1000);
      this.metrics.queued(labels, queue.length);
    }
  }

  private busy(labels: LimitLabels): AppError {
    return new AppError(
      ErrorCode.Unavailable,
      `Too many concurrent requests to model ${labels.model_name}: its limit of concurrent inferences is reached`,
      { retryAfterS: Math.max(1, Math.ceil(this.queueTimeoutS)) },
    );
  }
}
