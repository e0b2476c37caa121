import { Injectable } from '@nestjs/common';
import { inputTokenLimit, ModelFieldNames, ModelMetadata, ModelRequest } from '@app/models';
import { AppConfig } from '../config';
import { refuseCloudOnlyProvider } from '../model-requests/custom-models';
import { PromptRegistry } from '../prompts/prompt-registry';
import { CachedCompletions } from './cached-completions';
import { prependCodeContext } from './code-context';
import { CompletionsRequest, CurrentFileDto, TelemetryDto, TokensConsumptionMetadata } from './code-suggestions.dto';
import { CodeSuggestionsMetrics, ModelLabels } from './code-suggestions-metrics';
import { detectLanguage, fileExtension } from './language';
import { defaultProviderOf, SelfHostedTargets } from './self-hosted-targets';
import { modelFields, singleChunk, Suggestion, SuggestionModel } from './suggestion';
import { SuggestionModelClient } from './suggestion-model-client';
import { truncatePrefixSuffix } from './token-budget';

const COMPLETIONS_PROMPT_ID = 'code_suggestions/completions';

/** A completion request, whichever endpoint version carried it. */
export interface CompletionInput {
  file: CurrentFileDto;
  model: ModelMetadata;
  /** The provider when the identifier names none. */
  provider: string;
  /** How the request names the endpoint and key, for 422s; default `model_endpoint`, `model_api_key`. */
  fields?: ModelFieldNames;
  /** The caller's `X-Gitlab-User-Id`. */
  userId?: string;
  /** `context[].content` (v2) or the `code_context` components (v3/v4). */
  context: string[];
  stream: boolean;
  telemetry: TelemetryDto[];
  /** The client's disconnect: cancels a whole-text model call (streams get the writer's signal). */
  signal: AbortSignal;
}

interface BuiltPrompt {
  /** With the code context in front. */
  prefix: string;
  suffix: string;
  prefixTokens: number;
  suffixTokens: number;
  tokens: TokensConsumptionMetadata;
}

/** Code completions on self-hosted models (http-api.md §2.2, §2.4–2.6, §6.3; gitlab-versions.md §3). */
@Injectable()
export class CodeCompletionsService {
  constructor(
    private readonly prompts: PromptRegistry,
    private readonly targets: SelfHostedTargets,
    private readonly client: SuggestionModelClient,
    private readonly metrics: CodeSuggestionsMetrics,
    private readonly config: AppConfig,
    private readonly cache: CachedCompletions,
  ) {}

  /**
   * `/v2/code/completions`: the prompt registry for every provider, whatever `prompt_version` and `prompt` say
   * (gitlab-versions.md §3); GitLab-managed and Amazon Q models are refused (§4a).
   */
  complete(body: CompletionsRequest, userId: string | undefined, signal: AbortSignal): Promise<Suggestion> {
    refuseCloudOnlyProvider(body.model_provider);
    return this.viaRegistry({
      userId,
      file: body.current_file,
      model: modelFields(body),
      provider: defaultProviderOf(body.model_provider, 'text'),
      context: (body.context ?? []).map((item) => item.content),
      stream: body.stream === true,
      telemetry: body.telemetry ?? [],
      signal,
    });
  }

  /** Prompt `code_suggestions/completions/<family>`, sent as a text completion (http-api.md §2.2, §6.3). */
  async viaRegistry(input: CompletionInput): Promise<Suggestion> {
    const target = this.targets.registry(input.model, input.provider, input.fields);
    const family = input.model.name ?? '';
    const { request, built, promptName } = this.fimRequest(input, input.model.name ?? undefined);
    const model = this.describe(input, 'agent', promptName);
    // The original's Mixtral model escapes underscores in its answers; its agent path undoes that.
    const unescape = family === 'mixtral' ? (text: string) => text.replaceAll('\\_', '_') : undefined;
    const labels = this.observe(input, model, built);
    const cached = await this.cache.lookup(target, request);
    const answer = async () => {
      if (cached.hit) return cached.text;
      const { text: answered } = await this.client.generate(target, request, labels, input.signal);
      const text = unescape ? unescape(answered) : answered;
      cached.keep?.(text);
      return text;
    };
    if (input.stream) {
      if (!this.config.customModels.disableStreaming && !cached.hit) {
        const chunks = this.client.stream(target, request, labels, { transform: unescape, keep: cached.keep });
        return { kind: 'stream', model, chunks };
      }
      return { kind: 'stream', model, chunks: singleChunk(await answer()) };
    }
    const text = await answer();
    return { kind: 'text', model, text, tokens: text ? { ...built.tokens, output_tokens: 0 } : null };
  }

  /**
   * The fill-in-the-middle request in `family`'s own prompt (layout, stop tokens, token budget). A fallback pool
   * of another family (`AIGW_MODEL_ROUTES__FILE`) asks for the same completion written for its family.
   */
  private fimRequest(
    input: CompletionInput,
    family: string | undefined,
  ): { request: ModelRequest; built: BuiltPrompt; promptName: string } {
    const prompt = this.prompts.resolve(COMPLETIONS_PROMPT_ID, family);
    const built = this.buildPrompt(input, inputTokenLimit(family ?? '', 'registry'));
    const messages = prompt.render({ prefix: built.prefix, suffix: built.suffix });
    const request: ModelRequest = {
      messages,
      ...prompt.params,
      userId: input.userId,
      family: family || undefined,
      affinityKey: input.file.file_name,
      rewriteFor: (other) => this.fimRequest(input, other).request,
    };
    return { request, built, promptName: prompt.name };
  }

  /** Truncation (§2.4) and code context (§2.5). */
  private buildPrompt(input: CompletionInput, limit: number): BuiltPrompt {
    const { content_above_cursor: above, content_below_cursor: below } = input.file;
    const truncated = truncatePrefixSuffix(above, below, limit);
    const context = prependCodeContext(input.context, truncated.prefix, { limit, ...truncated, maxShare: 1 });
    const tokens: TokensConsumptionMetadata = {
      input_tokens: truncated.prefixTokens + truncated.suffixTokens,
      output_tokens: 0,
      context_tokens_sent: context.sentTokens,
      context_tokens_used: context.usedTokens,
    };
    return { ...truncated, prefix: context.prefix, tokens };
  }

  private describe(input: CompletionInput, engine: string, name: string): SuggestionModel {
    return { engine, name, lang: detectLanguage(input.file.file_name, input.file.language_identifier) ?? '' };
  }

  private observe(input: CompletionInput, model: SuggestionModel, built: BuiltPrompt): ModelLabels {
    const labels = { model_engine: model.engine, model_name: model.name };
    this.metrics.countLanguage(model.lang, fileExtension(input.file.file_name), input.file.language_identifier ?? '');
    this.metrics.observePrompt(labels, 'prefix', built.prefix, built.prefixTokens);
    this.metrics.observePrompt(labels, 'suffix', built.suffix, built.suffixTokens);
    this.metrics.recordTelemetry(input.telemetry, labels);
    return labels;
  }
}
