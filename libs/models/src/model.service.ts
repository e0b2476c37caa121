import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode, Traces } from '@app/common';
import { ModelMetrics } from './model-metrics';
import { ModelProviders } from './model-providers';
import {
  Chunk,
  Completion,
  EmbeddingRequest,
  Embeddings,
  ModelProvider,
  ModelRequest,
  ModelTarget,
} from './model-types';
import { MODELS_OPTIONS, ModelsOptions } from './models-options';
import { validateModelEndpoint } from './routing/model-endpoint';
import { maskSecret } from './secret-mask';
import { ModelCallObserver } from './telemetry/model-call-observer';

/** Metric labels of a call (http-api.md §5.3); engine and name default to the target's provider and model. */
export interface InferenceLabels {
  featureCategory?: string;
  modelEngine?: string;
  modelName?: string;
}

/**
 * The one way to call a model: picks the provider for `target.provider`, checks the endpoint, records the
 * inference metrics. Failures leave as `AppError` with a model error code and the API key masked.
 */
@Injectable()
export class ModelService {
  constructor(
    private readonly providers: ModelProviders,
    private readonly metrics: ModelMetrics,
    @Inject(MODELS_OPTIONS) private readonly options: ModelsOptions,
    private readonly observer: ModelCallObserver,
  ) {}

  async generate(target: ModelTarget, request: ModelRequest, labels: InferenceLabels = {}): Promise<Completion> {
    const provider = this.providerFor(target);
    const callLabels = this.callLabels(target, labels, false);
    const done = this.metrics.start(callLabels);
    const watch = this.observer.start(target, request, callLabels);
    try {
      const completion = await Traces.within(watch.span, () => provider.generate(target, request));
      done(false);
      watch.completed(completion);
      return completion;
    } catch (error) {
      done(true);
      const masked = maskSecret(error, target.apiKey);
      watch.end(masked, request.signal?.aborted);
      throw masked;
    }
  }

  /** Text and tool-call deltas, then usage (when the upstream reports it) and one `finish` chunk, last. */
  async *stream(target: ModelTarget, request: ModelRequest, labels: InferenceLabels = {}): AsyncGenerator<Chunk> {
    const provider = this.providerFor(target);
    const callLabels = this.callLabels(target, labels, true);
    const done = this.metrics.start(callLabels);
    const watch = this.observer.start(target, request, callLabels);
    const chunks = provider.stream(target, request)[Symbol.asyncIterator]();
    let failure: unknown;
    let finished = false;
    try {
      // The upstream request leaves during the first pull: inside the span, so it carries its `traceparent`.
      let next = await Traces.within(watch.span, () => chunks.next());
      for (; !next.done; next = await chunks.next()) {
        watch.observe(next.value);
        yield next.value;
      }
      finished = true;
    } catch (error) {
      finished = true;
      if (request.signal?.aborted) return;
      failure = maskSecret(error, target.apiKey);
      throw failure;
    } finally {
      if (!finished) await chunks.return?.();
      done(failure !== undefined);
      watch.end(failure, request.signal?.aborted);
    }
  }

  /** Vectors for `request.inputs`, in their order; a provider without an embeddings API is a 422. */
  async embed(target: ModelTarget, request: EmbeddingRequest, labels: InferenceLabels = {}): Promise<Embeddings> {
    const provider = this.providerFor(target);
    if (!provider.embed) {
      throw new AppError(ErrorCode.InvalidInput, `model provider ${target.provider} does not serve embeddings`);
    }
    const done = this.metrics.start(this.callLabels(target, labels, false));
    try {
      const embeddings = await provider.embed(target, request);
      done(false);
      return embeddings;
    } catch (error) {
      done(true);
      throw maskSecret(error, target.apiKey);
    }
  }

  private providerFor(target: ModelTarget): ModelProvider {
    if (target.apiBase) validateModelEndpoint(target.apiBase, this.options.allowedEndpoints);
    return this.providers.get(target.provider);
  }

  private callLabels(target: ModelTarget, labels: InferenceLabels, streaming: boolean) {
    return {
      modelEngine: labels.modelEngine ?? target.provider,
      modelName: labels.modelName ?? target.model,
      featureCategory: labels.featureCategory ?? 'unknown',
      streaming,
    };
  }
}
