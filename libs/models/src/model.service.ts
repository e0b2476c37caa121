import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppError, ErrorCode, Traces } from '@app/common';
import {
  Chunk,
  Completion,
  EmbeddingRequest,
  Embeddings,
  ModelProvider,
  ModelRequest,
  ModelTarget,
  Usage,
} from '@gitlab-ai-gateway/provider-api';
import { ModelCapacity } from './capacity/model-capacity';
import { ModelCallGate, ModelCallPass } from './model-call-gate';
import { ModelMetrics } from './model-metrics';
import { ModelProviders } from './model-providers';
import { MODELS_OPTIONS, ModelsOptions } from './models-options';
import { validateModelEndpoint } from './routing/model-endpoint';
import { modelFailure } from './model-failure';
import { ModelRoutes, RoutePlan } from './pools/model-routes';
import { PooledCalls } from './pools/pooled-calls';
import { ModelCallObserver } from './telemetry/model-call-observer';

/** Where a stream's reported usage is kept for the limits' gate, across the backends a pool tries. */
interface UsageMeter {
  usage?: Usage;
}

/**
 * Metric labels of a call (http-api.md §5.3); engine and name default to the target's provider and model. The
 * metrics label the model by the target's family when it has one; values outside the provider table and the family
 * list are counted as `other` (issue 15).
 */
export interface InferenceLabels {
  featureCategory?: string;
  modelEngine?: string;
  modelName?: string;
}

/** How the request names the endpoint and the key, for the 422 messages of {@link ModelService.assertServable}. */
export interface ModelFieldNames {
  endpoint: string;
  apiKey: string;
}

const MODEL_FIELDS: ModelFieldNames = { endpoint: 'model_endpoint', apiKey: 'model_api_key' };
/** What undici accepts in a header value, and what an API key is made of. */
const HEADER_SAFE = /^[\x20-\x7e]*$/;

/**
 * The 422 of a request that names no model endpoint when this gateway has no cloud provider to fall back on
 * (gitlab-versions.md §2): a self-hosted gateway never sends code to a provider its operator did not configure.
 */
export function modelEndpointRequired(field: string): AppError {
  return new AppError(
    ErrorCode.InvalidInput,
    `${field} is required: the request names no model endpoint and this AI gateway has no cloud provider configured for it`,
  );
}

/**
 * The one way to call a model: picks the provider for `target.provider`, checks the target, records the
 * inference metrics. Failures leave as `AppError` with a model error code and the API key masked (see
 * {@link modelFailure}).
 */
@Injectable()
export class ModelService {
  constructor(
    private readonly providers: ModelProviders,
    private readonly metrics: ModelMetrics,
    @Inject(MODELS_OPTIONS) private readonly options: ModelsOptions,
    private readonly observer: ModelCallObserver,
    private readonly capacity: ModelCapacity,
    private readonly routes: ModelRoutes,
    private readonly pooled: PooledCalls,
    @Optional() private readonly gate?: ModelCallGate,
  ) {}

  /**
   * Refuses, with 422 naming the request's field, a target that cannot be called before anything is sent
   * (gitlab-versions.md §2): an unknown provider, an endpoint that is not allowed, no endpoint where the call would
   * go to a cloud the operator did not configure, a key that cannot travel in a header. Callers that name fields
   * differently check before they start answering; every call is checked again here.
   */
  assertServable(target: ModelTarget, fields: ModelFieldNames = MODEL_FIELDS): void {
    this.providers.get(target.provider);
    if (target.apiBase) {
      validateModelEndpoint(target.apiBase, this.options.allowedEndpoints, fields.endpoint);
    } else if (!this.providers.servesWithoutEndpoint(target.provider)) {
      throw modelEndpointRequired(fields.endpoint);
    }
    if (target.apiKey !== undefined && !HEADER_SAFE.test(target.apiKey)) {
      throw new AppError(
        ErrorCode.InvalidInput,
        `${fields.apiKey} must contain only printable ASCII characters: it is sent as an HTTP header`,
      );
    }
  }

  /**
   * A target a route of `AIGW_MODEL_ROUTES__FILE` matches goes to that route's pools instead. The limits' gate
   * admits the call once, before anything is sent, whatever backends it then tries.
   */
  async generate(target: ModelTarget, request: ModelRequest, labels: InferenceLabels = {}): Promise<Completion> {
    const plan = this.routedPlan(target, request);
    const pass = await this.admit(target, plan);
    let usage: Usage | undefined;
    try {
      const completion = plan
        ? await this.pooled.generate(plan, target, request, (backend, attempt) =>
            this.generateOn(backend, attempt, labels),
          )
        : await this.generateOn(target, request, labels);
      usage = completion.usage;
      return completion;
    } finally {
      pass?.finish(usage);
    }
  }

  /**
   * Text and tool-call deltas, then usage (when the upstream reports it) and one `finish` chunk, last. Without
   * routes or limits the call's own generator is returned, no layer around it (issue 21); checks still run at the
   * first pull.
   */
  stream(target: ModelTarget, request: ModelRequest, labels: InferenceLabels = {}): AsyncGenerator<Chunk> {
    if (!this.gate?.active && this.routes.empty) return this.streamFrom(target, request, labels, {}, true);
    return this.routedStream(target, request, labels);
  }

  private async *routedStream(target: ModelTarget, request: ModelRequest, labels: InferenceLabels) {
    const plan = this.routedPlan(target, request);
    const pass = await this.admit(target, plan);
    const meter: UsageMeter = {};
    try {
      if (!plan) return yield* this.streamFrom(target, request, labels, meter);
      yield* this.pooled.stream(plan, target, request, (backend, attempt) =>
        this.streamFrom(backend, attempt, labels, meter),
      );
    } finally {
      pass?.finish(meter.usage);
    }
  }

  private async generateOn(target: ModelTarget, request: ModelRequest, labels: InferenceLabels): Promise<Completion> {
    const provider = this.providers.get(target.provider);
    const callLabels = this.callLabels(target, labels, false);
    const done = this.metrics.start(callLabels);
    const watch = this.observer.start(target, request, callLabels);
    try {
      const completion = await this.capacity.run(callLabels, request.signal, () =>
        Traces.within(watch.span, () => provider.generate(this.withHeaders(target, request.userId), request)),
      );
      done(false);
      watch.completed(completion);
      return completion;
    } catch (error) {
      done(true);
      const masked = modelFailure(error, target.apiKey);
      watch.end(masked, request.signal?.aborted);
      throw masked;
    }
  }

  /** One backend's stream; `check` first checks the target as {@link routedPlan} does (the unrouted path). */
  private async *streamFrom(
    target: ModelTarget,
    request: ModelRequest,
    labels: InferenceLabels,
    meter: UsageMeter,
    check = false,
  ): AsyncGenerator<Chunk> {
    if (check) this.assertServable(target);
    const provider = this.providers.get(target.provider);
    const callLabels = this.callLabels(target, labels, true);
    const done = this.metrics.start(callLabels);
    const watch = this.observer.start(target, request, callLabels);
    let chunks: AsyncIterator<Chunk> | undefined;
    let failure: unknown;
    let finished = false;
    try {
      // The upstream request leaves during the first pull: inside the span, so it carries its `traceparent`.
      let next = await Traces.within(watch.span, () => {
        const upstream = () => provider.stream(this.withHeaders(target, request.userId), request);
        chunks = this.capacity.stream(callLabels, request.signal, upstream)[Symbol.asyncIterator]();
        return chunks.next();
      });
      for (; !next.done; next = await chunks!.next()) {
        watch.observe(next.value);
        if (next.value.type === 'usage') meter.usage = next.value.usage;
        yield next.value;
      }
      finished = true;
    } catch (error) {
      finished = true;
      if (request.signal?.aborted) return;
      failure = modelFailure(error, target.apiKey);
      throw failure;
    } finally {
      if (!finished) await chunks?.return?.();
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
      const embeddings = await provider.embed(this.withHeaders(target), request);
      done(false);
      return embeddings;
    } catch (error) {
      done(true);
      throw modelFailure(error, target.apiKey);
    }
  }

  /**
   * Checks the target as the request named it (the routes file's backends are the operator's own, so the
   * allow-list is not applied to them), then finds its route.
   */
  private routedPlan(target: ModelTarget, request: ModelRequest): RoutePlan | undefined {
    this.assertServable(target);
    return this.routes.plan(target, request.family);
  }

  /**
   * Before anything is sent, so a refusal (429 / RESOURCE_EXHAUSTED) still reaches the client as a status;
   * per-pool limits key on the configured pool the call goes to first, if a route matched.
   */
  private admit(target: ModelTarget, plan: RoutePlan | undefined): Promise<ModelCallPass> | undefined {
    return this.gate?.admit(target, plan?.pools[0].name);
  }

  private providerFor(target: ModelTarget): ModelProvider {
    this.assertServable(target);
    return this.providers.get(target.provider);
  }

  /** `AIGW_CUSTOM_MODELS__EXTRA_HEADERS` and `__USER_ID_HEADER`, for endpoints a request names (§7). */
  private withHeaders(target: ModelTarget, requestUserId?: string): ModelTarget {
    if (!target.apiBase) return target;
    const { customModelHeaders, userIdHeader } = this.options;
    const userId = userIdHeader && requestUserId && HEADER_SAFE.test(requestUserId) ? requestUserId : undefined;
    if (Object.keys(customModelHeaders).length === 0 && !userId) return target;
    return { ...target, headers: { ...customModelHeaders, ...(userId && { [userIdHeader!]: userId }) } };
  }

  private callLabels(target: ModelTarget, labels: InferenceLabels, streaming: boolean) {
    return {
      modelEngine: labels.modelEngine ?? target.provider,
      modelName: labels.modelName ?? target.model,
      family: target.family,
      featureCategory: labels.featureCategory ?? 'unknown',
      streaming,
    };
  }
}
