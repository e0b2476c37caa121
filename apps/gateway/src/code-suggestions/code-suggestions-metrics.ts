import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { LabelValues, OTHER_LABEL } from '@app/common';
import { MODEL_FAMILIES } from '@app/models';
import { PromptRegistry } from '../prompts/prompt-registry';
import { TelemetryDto } from './code-suggestions.dto';
import { LANGUAGE_LABELS } from './language';

/** The model a suggestion came from, as metrics label it. */
export interface ModelLabels {
  model_engine: string;
  model_name: string;
}

const DURATION_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60];
const SIZE_BUCKETS = [32, 64, 128, 256, 512, 1024, 2048, 4096];
const TELEMETRY_LABELS = ['model_engine', 'model_name', 'lang', 'exp_names', 'exp_variants'] as const;
/** Engines of http-api.md §2.2 and the `model_provider` values an IDE's telemetry may name. */
const ENGINES = ['agent', 'litellm', 'anthropic', 'vertex-ai', 'codestral', 'fireworks_ai'];

/**
 * `code_suggestions_*` families of http-api.md §5.3 that apply to self-hosted models. `prompt_symbols` and
 * `experiments` come from the Vertex tree-sitter pipeline, which is not served here.
 *
 * Every label value comes from a fixed set, else `other` (issue 15): engines, model families and prompt names,
 * the languages, extensions and editor names of `language.ts`. No experiment is known here, so a telemetry item
 * that names experiments is labelled `other`.
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

  private readonly engines = new LabelValues(ENGINES);
  private readonly modelNames: LabelValues;
  private readonly languages = new LabelValues(LANGUAGE_LABELS.ids, ['']);
  private readonly extensions = new LabelValues(LANGUAGE_LABELS.extensions, ['']);
  private readonly editorNames = new LabelValues(LANGUAGE_LABELS.editorNames, LANGUAGE_LABELS.ids, ['']);

  constructor(registry: Registry, prompts: PromptRegistry) {
    this.modelNames = new LabelValues(
      Object.keys(MODEL_FAMILIES),
      prompts.all().map((prompt) => prompt.name),
    );
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
    const model = this.bounded(labels);
    this.inferences.inc(model);
    return this.inferenceDuration.startTimer(model);
  }

  observePrompt(labels: ModelLabels, component: 'prefix' | 'suffix', text: string, tokens: number): void {
    const model = this.bounded(labels);
    this.promptBytes.observe({ ...model, component }, Buffer.byteLength(text));
    this.promptTokens.observe({ ...model, component }, tokens);
  }

  observePostProcessing(labels: ModelLabels, seconds: number): void {
    this.postProcessing.observe(this.bounded(labels), seconds);
  }

  countLanguage(lang: string, extension: string, editorLanguage: string): void {
    this.language.inc({
      lang: this.languages.of(lang),
      extension: this.extensions.of(extension),
      editor_lang: this.editorNames.of(editorLanguage),
    });
  }

  /** The IDE's counters sent with the request; the serving model fills labels the IDE left empty. */
  recordTelemetry(items: TelemetryDto[], serving: ModelLabels): void {
    for (const item of items) {
      const experiments = item.experiments?.length ? OTHER_LABEL : '';
      const labels = {
        ...this.bounded({
          model_engine: item.model_engine || serving.model_engine,
          model_name: item.model_name || serving.model_name,
        }),
        lang: this.editorNames.of(item.lang ?? ''),
        exp_names: experiments,
        exp_variants: experiments,
      };
      this.telemetry.requests.inc(labels, item.requests);
      this.telemetry.accepts.inc(labels, item.accepts);
      this.telemetry.errors.inc(labels, item.errors);
    }
  }

  private bounded(labels: ModelLabels): ModelLabels {
    return { model_engine: this.engines.of(labels.model_engine), model_name: this.modelNames.of(labels.model_name) };
  }
}
