import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Refusal } from './capacity-queue';

type ModelLabel = 'model_engine' | 'model_name';

/** The labels of one configured limit: an engine and model name from the operator's configuration, never a request's. */
export interface LimitLabels {
  model_engine: string;
  model_name: string;
}

/** Metrics of the concurrency limits of `AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS`. */
export class CapacityMetrics {
  private readonly maxConcurrent: Gauge<ModelLabel>;
  private readonly queueLength: Gauge<ModelLabel>;
  private readonly queueWait: Histogram<ModelLabel>;
  private readonly rejections: Counter<ModelLabel | 'reason'>;

  constructor(registry: Registry) {
    const labelNames: ModelLabel[] = ['model_engine', 'model_name'];
    this.maxConcurrent = new Gauge({
      name: 'model_inferences_max_concurrent',
      help: 'Configured limit of concurrent inferences per model (AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS)',
      labelNames,
      registers: [registry],
    });
    this.queueLength = new Gauge({
      name: 'model_inferences_queue_length',
      help: 'Model calls waiting for a free slot of their concurrency limit',
      labelNames,
      registers: [registry],
    });
    this.queueWait = new Histogram({
      name: 'model_inferences_queue_wait_seconds',
      help: 'Time model calls waited for a free slot of their concurrency limit, admitted or not',
      labelNames,
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.rejections = new Counter({
      name: 'model_inferences_rejected_total',
      help: 'Model calls refused with 503 because their concurrency limit stayed full',
      labelNames: [...labelNames, 'reason'],
      registers: [registry],
    });
  }

  limitConfigured(labels: LimitLabels, limit: number): void {
    this.maxConcurrent.set(labels, limit);
    this.queueLength.set(labels, 0);
  }

  queued(labels: LimitLabels, length: number): void {
    this.queueLength.set(labels, length);
  }

  waited(labels: LimitLabels, seconds: number): void {
    this.queueWait.observe(labels, seconds);
  }

  rejected(labels: LimitLabels, reason: Refusal): void {
    this.rejections.inc({ ...labels, reason });
  }
}
