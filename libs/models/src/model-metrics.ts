import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ModelLabels } from './telemetry/model-labels';

type InferenceLabel = 'model_engine' | 'model_name' | 'error' | 'streaming' | 'feature_category';

interface CallLabels {
  modelEngine: string;
  modelName: string;
  /** The target's model family, labelled in preference to the name. */
  family?: string;
  featureCategory: string;
  streaming: boolean;
}

/** Model call metrics of http-api.md §5.3. */
@Injectable()
export class ModelMetrics {
  private readonly inferences: Counter<InferenceLabel>;
  private readonly duration: Histogram<InferenceLabel>;
  private readonly inFlight: Gauge<'model_engine' | 'model_name'>;

  constructor(
    registry: Registry,
    private readonly labels: ModelLabels,
  ) {
    const labelNames: InferenceLabel[] = ['model_engine', 'model_name', 'error', 'streaming', 'feature_category'];
    this.inferences = new Counter({
      name: 'model_inferences_total',
      help: 'Model inference requests',
      labelNames,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'inference_request_duration_seconds',
      help: 'Duration of model inference requests, to the last byte of a stream',
      labelNames,
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
    this.inFlight = new Gauge({
      name: 'model_inferences_in_flight',
      help: 'Model inference requests under way',
      labelNames: ['model_engine', 'model_name'],
      registers: [registry],
    });
  }

  /** Counts one call as started; the returned function records its end. */
  start(labels: CallLabels): (failed: boolean) => void {
    const model = this.labels.model(labels.modelEngine, labels.family ?? labels.modelName);
    const startedAt = process.hrtime.bigint();
    this.inFlight.inc(model);
    return (failed) => {
      const all = {
        ...model,
        error: failed ? 'yes' : 'no',
        streaming: labels.streaming ? 'yes' : 'no',
        feature_category: this.labels.featureCategory(labels.featureCategory),
      };
      this.inFlight.dec(model);
      this.inferences.inc(all);
      this.duration.observe(all, Number(process.hrtime.bigint() - startedAt) / 1e9);
    };
  }
}
