import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import {
  ChatMessage,
  inputTokenLimit,
  legacyChatParams,
  ModelFieldNames,
  ModelMetadata,
  ModelRequest,
  ModelTarget,
} from '@app/models';
import { AppConfig } from '../config';
import { refuseCloudOnlyProvider } from '../model-requests/custom-models';
import { PromptRegistry } from '../prompts/prompt-registry';
import { CurrentFileDto, GenerationsRequest, PromptMessageDto, TelemetryDto } from './code-suggestions.dto';
import { CodeSuggestionsMetrics, ModelLabels } from './code-suggestions-metrics';
import { postProcessGeneration } from './generation-post-processing';
import { detectLanguage, fileExtension } from './language';
import { defaultProviderOf, SelfHostedTargets } from './self-hosted-targets';
import { modelFields, modelString, singleChunk, Suggestion, SuggestionModel } from './suggestion';
import { SuggestionModelClient } from './suggestion-model-client';
import { countTokens, keepLastTokens } from './token-budget';

/** A generation request, whichever endpoint version carried it. */
export interface GenerationInput {
  file: CurrentFileDto;
  model: ModelMetadata;
  /** The provider when the identifier names none. */
  provider: string;
  /** How the request names the endpoint and key, for 422s; default `model_endpoint`, `model_api_key`. */
  fields?: ModelFieldNames;
  /** The caller's `X-Gitlab-User-Id`. */
  userId?: string;
  /** The instruction (v2 `prompt`), or whole messages (v3 `prompt`); absent for v1. */
  prompt?: string | PromptMessageDto[] | null;
  stream: boolean;
  telemetry: TelemetryDto[];
  /** The client's disconnect: cancels a whole-text model call (streams get the writer's signal). */
  signal: AbortSignal;
}

/** The prompt of Rails' self-hosted generations, and of requests that name none. */
export const GENERATIONS_PROMPT_ID = 'code_suggestions/generations';

export interface RegistryGeneration {
  promptId: string;
  versionConstraint?: string;
}

/** Code generations on self-hosted models (http-api.md §2.3, §2.6–2.7, §6.4, §6.6). */
@Injectable()
export class CodeGenerationsService {
  constructor(
    private readonly prompts: PromptRegistry,
    private readonly targets: SelfHostedTargets,
    private readonly client: SuggestionModelClient,
    private readonly metrics: CodeSuggestionsMetrics,
    private readonly config: AppConfig,
  ) {}

  /**
   * `/v2/code/generations` routing: a prompt id selects the registry whatever the provider is; without one,
   * `litellm` takes the request's own messages (http-api.md §2.3), every other provider the default prompt.
   */
  generate(body: GenerationsRequest, userId: string | undefined, signal: AbortSignal): Promise<Suggestion> {
    refuseCloudOnlyProvider(body.model_provider);
    const input: GenerationInput = {
      file: body.current_file,
      model: modelFields(body),
      provider: defaultProviderOf(body.model_provider, 'chat'),
      userId,
      prompt: body.prompt_version === 1 ? undefined : body.prompt,
      stream: body.stream === true,
      telemetry: body.telemetry ?? [],
      signal,
    };
    if (body.model_provider === 'litellm' && !body.prompt_id) return this.viaLegacy(input);
    return this.viaRegistry(input, { promptId: body.prompt_id || GENERATIONS_PROMPT_ID });
  }

  /** Prompt `<prompt_id>/<family>` over chat completions, with `prefix`, `instruction`, `language`, `file_name`. */
  async viaRegistry(input: GenerationInput, registry: RegistryGeneration): Promise<Suggestion> {
    const target = this.targets.registry(input.model, input.provider, input.fields);
    const { request, promptName } = this.registryRequest(input, registry, input.model.name ?? undefined);
    return this.run(input, target, request, this.describe(input, 'agent', promptName), true);
  }

  /**
   * The request in `family`'s prompt; a fallback pool of another family (`AIGW_MODEL_ROUTES__FILE`) asks for it
   * written for its family, unless the request brought its own messages (v3 `prompt`).
   */
  private registryRequest(
    input: GenerationInput,
    registry: RegistryGeneration,
    family: string | undefined,
  ): { request: ModelRequest; promptName: string } {
    const prompt = this.prompts.resolve(registry.promptId, family, registry.versionConstraint);
    const ownMessages = Array.isArray(input.prompt);
    const messages = Array.isArray(input.prompt)
      ? input.prompt
      : prompt.render({
          prefix: input.file.content_above_cursor,
          instruction: this.instruction(input, inputTokenLimit(family ?? '', 'registry')),
          language: input.file.language_identifier,
          file_name: input.file.file_name,
        });
    const request: ModelRequest = {
      messages,
      ...prompt.params,
      userId: input.userId,
      family: family || undefined,
      ...(!ownMessages && { rewriteFor: (other: string) => this.registryRequest(input, registry, other).request }),
    };
    return { request, promptName: prompt.name };
  }

  /** The request's own messages over chat completions (http-api.md §6.6). */
  private viaLegacy(input: GenerationInput): Promise<Suggestion> {
    const target = this.targets.legacy(input.model, 'custom_openai');
    const family = input.model.name ?? '';
    const messages: ChatMessage[] = Array.isArray(input.prompt)
      ? input.prompt
      : [{ role: 'user', content: this.instruction(input, inputTokenLimit(family, 'legacy')) }];
    const model = this.describe(input, 'litellm', modelString(target));
    return this.run(
      input,
      target,
      { messages, ...legacyChatParams(family), userId: input.userId, family: family || undefined },
      model,
      false,
    );
  }

  private async run(
    input: GenerationInput,
    target: ModelTarget,
    request: ModelRequest,
    model: SuggestionModel,
    registryPath: boolean,
  ): Promise<Suggestion> {
    const labels = this.observe(input, model);
    const streaming = input.stream && !this.config.customModels.disableStreaming;
    if (streaming) return { kind: 'stream', model, chunks: this.client.stream(target, request, labels) };
    const { text } = await this.client.generate(target, request, labels, input.signal);
    // DISABLE_STREAMING: registry paths still answer as a stream, of the raw text (http-api.md §2.6).
    if (input.stream && registryPath) return { kind: 'stream', model, chunks: singleChunk(text) };
    return { kind: 'text', model, text: this.postProcess(input, text, labels), tokens: null };
  }

  /**
   * v2/v3: the `prompt`; v1: the prefix in a fenced block (http-api.md §6.6). Longer than the limit → 422
   * (http-api.md §9.4; the original fails with 500).
   */
  private instruction(input: GenerationInput, limit: number): string {
    if (typeof input.prompt !== 'string') {
      const { file_name, language_identifier, content_above_cursor } = input.file;
      const lang = detectLanguage(file_name, language_identifier) ?? fileExtension(file_name);
      return `\`\`\`${lang}\n${keepLastTokens(content_above_cursor, limit)}\n\`\`\``;
    }
    const tokens = countTokens(input.prompt);
    if (tokens > limit) {
      throw new AppError(ErrorCode.InvalidInput, `prompt is ${tokens} tokens long; the limit is ${limit} tokens`);
    }
    return input.prompt;
  }

  private postProcess(input: GenerationInput, text: string, labels: ModelLabels): string {
    const started = performance.now();
    const processed = postProcessGeneration(input.file.content_above_cursor, text);
    this.metrics.observePostProcessing(labels, (performance.now() - started) / 1000);
    return processed;
  }

  private describe(input: GenerationInput, engine: string, name: string): SuggestionModel {
    return { engine, name, lang: detectLanguage(input.file.file_name, input.file.language_identifier) ?? '' };
  }

  private observe(input: GenerationInput, model: SuggestionModel): ModelLabels {
    const labels = { model_engine: model.engine, model_name: model.name };
    const { file_name, language_identifier, content_above_cursor } = input.file;
    this.metrics.countLanguage(model.lang, fileExtension(file_name), language_identifier ?? '');
    this.metrics.observePrompt(labels, 'prefix', content_above_cursor, countTokens(content_above_cursor));
    this.metrics.recordTelemetry(input.telemetry, labels);
    return labels;
  }
}
