import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { ModelLabels } from './model-labels';

type ModelLabel = 'model_engine' | 'model_name';

/** Time to first token and token counts per model, beside the inference metrics of `model-metrics.ts`. */
@Injectable()
export class ModelTimingMetrics {
  private readonly firstToken: Histogram<ModelLabel>;
  private readonly tokens: Counter<ModelLabel | 'direction'>;

  constructor(
    registry: Registry,
    private readonly labels: ModelLabels,
  ) {
    this.firstToken = new Histogram({
      name: 'model_time_to_first_token_seconds',
      help: 'Time from sending a streamed model request to its first text or tool-call chunk',
      labelNames: ['model_engine', 'model_name'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.tokens = new Counter({
      name: 'model_tokens_total',
      help: 'Tokens the model servers reported, by direction (input or output)',
      labelNames: ['model_engine', 'model_name', 'direction'],
      registers: [registry],
    });
  }

  firstTokenAfter(labels: Record<ModelLabel, string>, seconds: number): void {
    this.firstToken.observe(this.bounded(labels), seconds);
  }

  countTokens(labels: Record<ModelLabel, string>, input: number, output: number): void {
    const model = this.bounded(labels);
    if (input > 0) this.tokens.inc({ ...model, direction: 'input' }, input);
    if (output > 0) this.tokens.inc({ ...model, direction: 'output' }, output);
  }

  private bounded(labels: Record<ModelLabel, string>): Record<ModelLabel, string> {
    return this.labels.model(labels.model_engine, labels.model_name);
  }
}
