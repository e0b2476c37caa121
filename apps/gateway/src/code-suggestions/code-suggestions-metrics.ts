import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { TelemetryDto } from './code-suggestions.dto';

/** The model a suggestion came from, as metrics label it. */
export interface ModelLabels {
  model_engine: string;
  model_name: string;
}

const DURATION_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60];
const SIZE_BUCKETS = [32, 64, 128, 256, 512, 1024, 2048, 4096];
const TELEMETRY_LABELS = ['model_engine', 'model_name', 'lang', 'exp_names', 'exp_variants'] as const;

/**
 * `code_suggestions_*` families of http-api.md §5.3 that apply to self-hosted models. `prompt_symbols` and
 * `experiments` come from the Vertex tree-sitter pipeline, which is not served here.
 */
@Injectable()
export class CodeSuggestionsMetrics {
  private readonly inferences: Counter<keyof ModelLabels>;
  private readonly inferenceDuration: Histogram<keyof ModelLabels>;
  private readonly promptBytes: Histogram<keyof ModelLabels | 'component'>;
  private readonly promptTokens: Histogram<keyof ModelLabels | 'component'>;
  private readonly postProcessing: Histogram<keyof ModelLabels>;
  private readonly language: Counter<'lang' | 'extension' | 'editor_lang'>;
  private readonly telemetry: Record<'requests' | 'accepts' | 'errors', Counter<(typeof TELEMETRY_LABELS)[number]>>;

  constructor(registry: Registry) {
    const model = ['model_engine', 'model_name'] as const;
    const prompt = [...model, 'component'] as const;
    // Python's prometheus_client exposes counters with a `_total` suffix; dashboards query those names.
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Counter<L>({ name: `code_suggestions_${name}_total`, help, labelNames, registers: [registry] });
    const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
      new Histogram<L>({ name: `code_suggestions_${name}`, help, labelNames, buckets, registers: [registry] });

    this.inferences = counter('inference_requests', 'Number of times an inference request was made', model);
    this.inferenceDuration = histogram(
      'inference_request_duration_seconds',
      'Duration of the inference request in seconds',
      model,
      DURATION_BUCKETS,
    );
    this.promptBytes = histogram('inference_prompt_size_bytes', 'Size of the prompt in bytes', prompt, SIZE_BUCKETS);
    this.promptTokens = histogram('inference_prompt_size_tokens', 'Size of the prompt in tokens', prompt, SIZE_BUCKETS);
    this.postProcessing = histogram(
      'post_processing_duration_seconds',
      'Duration of the post-processing of a suggestion in seconds',
      model,
      DURATION_BUCKETS,
    );
    this.language = counter('prompt_language', 'Number of prompts by language', ['lang', 'extension', 'editor_lang']);
    this.telemetry = {
      requests: counter('requests', 'Requests count by number', TELEMETRY_LABELS),
      accepts: counter('accepts', 'Accepts count by number', TELEMETRY_LABELS),
      errors: counter('errors', 'Errors count by number', TELEMETRY_LABELS),
    };
  }

  /** Counts one inference and returns the function that records its duration. */
  startInference(labels: ModelLabels): () => void {
    this.inferences.inc(labels);
    return this.inferenceDuration.startTimer(labels);
  }

  observePrompt(labels: ModelLabels, component: string, text: string, tokens: number): void {
    this.promptBytes.observe({ ...labels, component }, Buffer.byteLength(text));
    this.promptTokens.observe({ ...labels, component }, tokens);
  }

  observePostProcessing(labels: ModelLabels, seconds: number): void {
    this.postProcessing.observe(labels, seconds);
  }

  countLanguage(lang: string, extension: string, editorLanguage: string): void {
    this.language.inc({ lang, extension, editor_lang: editorLanguage });
  }

  /** The IDE's counters sent with the request; the serving model fills labels the IDE left empty. */
  recordTelemetry(items: TelemetryDto[], serving: ModelLabels): void {
    for (const item of items) {
      const labels = {
        model_engine: item.model_engine || serving.model_engine,
        model_name: item.model_name || serving.model_name,
        lang: item.lang ?? '',
        exp_names: (item.experiments ?? []).map((experiment) => experiment.name).join(','),
        exp_variants: (item.experiments ?? []).map((experiment) => experiment.variant).join(','),
      };
      this.telemetry.requests.inc(labels, item.requests);
      this.telemetry.accepts.inc(labels, item.accepts);
      this.telemetry.errors.inc(labels, item.errors);
    }
  }
}
