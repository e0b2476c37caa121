import { Injectable } from '@nestjs/common';
import { TraceSpan, Traces } from '@app/common';
import { Chunk, Completion, ModelRequest, ModelTarget, Usage } from '@gitlab-ai-gateway/provider-api';
import { endpointOf, failureSummary, operationOf, requestAttributes } from './gen-ai-attributes';
import { EndpointSnapshot, ModelEndpointStats } from './model-endpoint-stats';
import { ModelTimingMetrics } from './model-timing-metrics';

export interface ObservedCall {
  modelEngine: string;
  modelName: string;
  family?: string;
  featureCategory: string;
}

/**
 * One model call as traces, the timing metrics and the status page see it: a client span with the GenAI
 * attributes, time to first token, token usage, the outcome.
 */
export class ModelCallWatch {
  private readonly startedAt = performance.now();
  private firstTokenMs?: number;
  private usage?: Usage;

  constructor(
    readonly span: TraceSpan | undefined,
    private readonly labels: { model_engine: string; model_name: string },
    private readonly metrics: ModelTimingMetrics,
    private readonly stats: ModelEndpointStats,
    private readonly entry: EndpointSnapshot | undefined,
  ) {}

  /** Notes what one streamed chunk tells: first token, usage, finish reason. */
  observe(chunk: Chunk): void {
    if (this.firstTokenMs === undefined && (chunk.type === 'text' || chunk.type === 'tool_call')) {
      this.firstToken();
    } else if (chunk.type === 'usage') {
      this.usage = chunk.usage;
    } else if (chunk.type === 'finish') {
      this.span?.setAttribute('gen_ai.response.finish_reasons', [chunk.reason]);
    }
  }

  completed(completion: Completion): void {
    this.usage = completion.usage;
    this.span?.setAttribute('gen_ai.response.finish_reasons', [completion.finishReason]);
    if (Traces.recordContent && completion.text) this.span?.setAttribute('gen_ai.completion', completion.text);
    this.end();
  }

  /** Ends the call; `error` marks it failed, `cancelled` ends it without blame (the client went away). */
  end(error?: unknown, cancelled = false): void {
    const latencyMs = performance.now() - this.startedAt;
    const usage = this.usage;
    if (usage) this.metrics.countTokens(this.labels, usage.inputTokens, usage.outputTokens);
    const failure = error === undefined || cancelled ? undefined : failureSummary(error);
    if (this.entry) {
      this.stats.finish(this.entry, {
        latencyMs,
        firstTokenMs: this.firstTokenMs,
        outputTokens: usage?.outputTokens,
        error: failure,
      });
    }
    if (!this.span) return;
    if (usage) {
      this.span.setAttribute('gen_ai.usage.input_tokens', usage.inputTokens);
      this.span.setAttribute('gen_ai.usage.output_tokens', usage.outputTokens);
    }
    if (cancelled) this.span.setAttribute('aigw.cancelled', true);
    Traces.end(this.span, failure ? Object.assign(new Error(failure.summary), { code: failure.code }) : undefined);
  }

  private firstToken(): void {
    this.firstTokenMs = performance.now() - this.startedAt;
    this.metrics.firstTokenAfter(this.labels, this.firstTokenMs / 1000);
    this.span?.setAttribute('gen_ai.response.time_to_first_token', this.firstTokenMs / 1000);
    this.span?.addEvent('gen_ai.first_token');
  }
}

/** Starts a {@link ModelCallWatch} per model call. */
@Injectable()
export class ModelCallObserver {
  constructor(
    private readonly metrics: ModelTimingMetrics,
    private readonly stats: ModelEndpointStats,
  ) {}

  start(target: ModelTarget, request: ModelRequest, call: ObservedCall): ModelCallWatch {
    const span = Traces.enabled
      ? Traces.start(
          `${operationOf(target.provider)} ${target.model}`,
          requestAttributes(target, request, call.featureCategory),
          'client',
        )
      : undefined;
    if (span && Traces.recordContent) span.setAttribute('gen_ai.prompt', JSON.stringify(request.messages));
    const entry = this.stats.start({ provider: target.provider, endpoint: endpointOf(target), model: target.model });
    const labels = { model_engine: call.modelEngine, model_name: call.family ?? call.modelName };
    return new ModelCallWatch(span, labels, this.metrics, this.stats, entry);
  }
}
