import { Inject, Injectable } from '@nestjs/common';
import { isModelError } from '@app/common';
import { Completion, InferenceLabels, ModelRequest, ModelService, ModelTarget } from '@app/models';
import { capabilityModelError } from '../errors/capability-model-errors';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';
import { StreamSource } from '../streaming/http-stream-writer';
import { CodeSuggestionsMetrics, ModelLabels } from './code-suggestions-metrics';

/**
 * Calls the model for code suggestions: counts and times inferences, and turns model failures into the
 * contract's `503 {"detail": "Inference failed"}` (http-api.md §0.1) — a model's 429 into 429 with its
 * `Retry-After` (gitlab-versions.md §3) — logging the real cause.
 */
@Injectable()
export class SuggestionModelClient {
  constructor(
    private readonly models: ModelService,
    private readonly metrics: CodeSuggestionsMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  /** The whole text; the upstream call stops when `signal` (the client's disconnect) aborts. */
  async generate(
    target: ModelTarget,
    request: ModelRequest,
    labels: ModelLabels,
    signal: AbortSignal,
  ): Promise<Completion> {
    const done = this.metrics.startInference(labels);
    try {
      return await this.models.generate(target, { ...request, signal }, inferenceLabels(labels));
    } catch (error) {
      throw this.inferenceFailed(error, labels);
    } finally {
      done();
    }
  }

  /**
   * Text deltas, each through `transform`; the upstream call starts when the writer pulls the first one and stops
   * when `signal` aborts. `keep` gets the whole (transformed) text once the stream ended complete.
   */
  stream(target: ModelTarget, request: ModelRequest, labels: ModelLabels, options: StreamOptions = {}): StreamSource {
    const { metrics, models } = this;
    const { transform, keep } = options;
    const inferenceFailed = (error: unknown) => this.inferenceFailed(error, labels);
    return async function* (signal: AbortSignal) {
      const done = metrics.startInference(labels);
      let whole = '';
      try {
        for await (const chunk of models.stream(target, { ...request, signal }, inferenceLabels(labels))) {
          if (chunk.type !== 'text') continue;
          const text = transform ? transform(chunk.text) : chunk.text;
          if (keep) whole += text;
          yield text;
        }
        if (keep && !signal.aborted) keep(whole);
      } catch (error) {
        if (signal.aborted) return;
        throw inferenceFailed(error);
      } finally {
        done();
      }
    };
  }

  private inferenceFailed(error: unknown, labels: ModelLabels): unknown {
    if (!isModelError(error)) return error;
    this.logger.warn(
      {
        logger: 'codesuggestions',
        ...labels,
        error_code: error.code,
        upstream_status: error.upstreamStatus,
        err: error,
      },
      'Model inference failed',
    );
    return capabilityModelError('code_suggestions', error);
  }
}

export interface StreamOptions {
  transform?: (text: string) => string;
  keep?: (text: string) => void;
}

const inferenceLabels = (labels: ModelLabels): InferenceLabels => ({
  featureCategory: 'code_suggestions',
  modelEngine: labels.model_engine,
  modelName: labels.model_name,
});
