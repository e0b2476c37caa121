import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';
import { codeSuggestionModelError, ModelUseCase } from '@app/models';
import { ModelMetadataDto } from '../model-requests/model-metadata.dto';
import {
  OptionalBoolean,
  OptionalHeaderValue,
  OptionalInt,
  RequiredCount,
  OptionalList,
  OptionalNested,
  OptionalObject,
  OptionalOneOf,
  OptionalPromptText,
  OptionalString,
  RequiredList,
  RequiredNested,
  RequiredOneOf,
  RequiredString,
  RequiredTaggedList,
  UnionTag,
} from '../validation/field-rules';
import { TaggedUnion } from './tagged-union';

/** Request and response shapes of http-api.md §2.1 (v2) and §2.8–2.9 (v3/v4); unknown fields are dropped. */

/** `gitlab` and `amazon_q` are accepted, then refused with gitlab-versions.md §4a's message. */
const MODEL_PROVIDERS = [
  'anthropic',
  'vertex-ai',
  'litellm',
  'codestral',
  'fireworks_ai',
  'gitlab',
  'amazon_q',
] as const;
type ModelProvider = (typeof MODEL_PROVIDERS)[number];
/**
 * `model_name`: a family the use case supports (http-api.md §2.1), in Pydantic's `Value error, …` wording.
 * Pydantic runs this check only when the body carries the field, `null` included (`model None is not …`).
 */
function ModelName(useCase: ModelUseCase.CodeCompletions | ModelUseCase.CodeGenerations): PropertyDecorator {
  const failure = (args: ValidationArguments) => {
    const provider = (args.object as { model_provider?: unknown }).model_provider;
    if (typeof provider !== 'string' || !MODEL_PROVIDERS.includes(provider as ModelProvider)) return undefined;
    return codeSuggestionModelError(useCase, provider, args.value === null ? 'None' : String(args.value));
  };
  const nullable = (check: (value: string) => boolean) => (value: unknown) =>
    value === null || (typeof value === 'string' && check(value));
  const rule = (name: string, validate: (value: unknown, args?: ValidationArguments) => boolean, message: string) =>
    ValidateBy({
      name,
      validator: { validate, defaultMessage: (args) => message.replace('%s', failure(args!) ?? '') },
    });
  return applyDecorators(
    ValidateIf((body: { model_name?: unknown }) => body.model_name !== undefined),
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    rule(
      'isString',
      nullable(() => true),
      'Input should be a valid string',
    ),
    rule(
      'maxLength',
      nullable((value) => value.length <= 50),
      'String should have at most 50 characters',
    ),
    rule('supportedModel', (_value, args) => failure(args!) === undefined, 'Value error, %s'),
  );
}

export class CurrentFileDto {
  @RequiredString(255, { strip: true }) file_name!: string;
  @OptionalString(255) language_identifier?: string | null;
  @RequiredString(100_000) content_above_cursor!: string;
  @RequiredString(100_000) content_below_cursor!: string;
}

export class CodeContextItemDto {
  @RequiredString(1024) type!: string;
  @RequiredString(1024) name!: string;
  @RequiredString(500_000) content!: string;
}

export class ExperimentDto {
  @RequiredString(255) name!: string;
  @RequiredCount() variant!: number;
}

export class TelemetryDto {
  @OptionalString(50) model_engine?: string | null;
  @OptionalString(50) model_name?: string | null;
  @OptionalString(50) lang?: string | null;
  @OptionalList(ExperimentDto, 100) experiments?: ExperimentDto[] | null;
  @RequiredCount() requests!: number;
  @RequiredCount() accepts!: number;
  @RequiredCount() errors!: number;
}

export class PromptMessageDto {
  @RequiredOneOf(['system', 'user', 'assistant']) role!: 'system' | 'user' | 'assistant';
  @RequiredString() content!: string;
}

abstract class SuggestionsRequestDto {
  @OptionalString(255, { strip: true }) project_path?: string | null;
  @OptionalInt() project_id?: number | null;
  @RequiredNested(CurrentFileDto) current_file!: CurrentFileDto;
  @OptionalOneOf(MODEL_PROVIDERS) model_provider?: ModelProvider | null;
  @OptionalString() model_endpoint?: string | null;
  @OptionalHeaderValue(2000) model_api_key?: string | null;
  @OptionalString(1000) model_identifier?: string | null;
  @OptionalList(TelemetryDto, 10) telemetry: TelemetryDto[] | null = [];
  @OptionalBoolean() stream: boolean | null = false;
  @OptionalInt() choices_count: number | null = 0;
  @OptionalList(CodeContextItemDto, 100) context: CodeContextItemDto[] | null = [];
  @OptionalString() prompt_id?: string | null;
}

abstract class CompletionsRequestDto extends SuggestionsRequestDto {
  @ModelName(ModelUseCase.CodeCompletions) model_name?: string | null;
}

abstract class GenerationsRequestDto extends SuggestionsRequestDto {
  @ModelName(ModelUseCase.CodeGenerations) model_name?: string | null;
}

export class CompletionsRequestV1 extends CompletionsRequestDto {
  @UnionTag() prompt_version!: 1;
}

export class CompletionsRequestV2 extends CompletionsRequestDto {
  @UnionTag() prompt_version!: 2;
  @OptionalString() prompt?: string | null;
}

export class CompletionsRequestV3 extends CompletionsRequestDto {
  @UnionTag() prompt_version!: 3;
  @OptionalList(PromptMessageDto) prompt?: PromptMessageDto[] | null;
}

export class GenerationsRequestV1 extends GenerationsRequestDto {
  @UnionTag() prompt_version!: 1;
}

export class GenerationsRequestV2 extends GenerationsRequestDto {
  @UnionTag() prompt_version!: 2;
  @RequiredString() prompt!: string;
}

export class GenerationsRequestV3 extends GenerationsRequestDto {
  @UnionTag() prompt_version!: 3;
  @RequiredList(PromptMessageDto) prompt!: PromptMessageDto[];
}

export type CompletionsRequest = CompletionsRequestV1 | CompletionsRequestV2 | CompletionsRequestV3;
export type GenerationsRequest = GenerationsRequestV1 | GenerationsRequestV2 | GenerationsRequestV3;

export const COMPLETIONS_REQUEST: TaggedUnion<CompletionsRequest> = {
  discriminator: 'prompt_version',
  variants: new Map<unknown, new () => CompletionsRequest>([
    [1, CompletionsRequestV1],
    [2, CompletionsRequestV2],
    [3, CompletionsRequestV3],
  ]),
};

export const GENERATIONS_REQUEST: TaggedUnion<GenerationsRequest> = {
  discriminator: 'prompt_version',
  variants: new Map<unknown, new () => GenerationsRequest>([
    [1, GenerationsRequestV1],
    [2, GenerationsRequestV2],
    [3, GenerationsRequestV3],
  ]),
};

/** v3/v4 (http-api.md §2.8, §9.8): prompt components tagged by `type`, the model described at the top level. */

export class ComponentMetadataDto {
  @RequiredString(255) source!: string;
  @RequiredString(255) version!: string;
}

abstract class EditorContentPayload {
  @RequiredString(255, { strip: true }) file_name!: string;
  @RequiredString(100_000) content_above_cursor!: string;
  @RequiredString(100_000) content_below_cursor!: string;
  @OptionalString(255) language_identifier?: string | null;
  @OptionalOneOf(MODEL_PROVIDERS) model_provider?: string | null;
  @OptionalString() model_name?: string | null;
  @OptionalBoolean() stream: boolean | null = false;
}

export class EditorCompletionPayload extends EditorContentPayload {
  @OptionalInt() choices_count: number | null = 0;
  /** Not used: completions always take the registry prompt (gitlab-versions.md §3). */
  @OptionalPromptText() prompt?: string | PromptMessageDto[] | null;
}

export class EditorGenerationPayload extends EditorContentPayload {
  @OptionalString(400_000) prompt?: string | null;
  @OptionalString() prompt_id?: string | null;
  @OptionalObject() prompt_enhancer?: Record<string, unknown> | null;
  /** A version constraint for `prompt_id`. */
  @OptionalString() prompt_version?: string | null;
}

export class CodeContextPayload {
  @RequiredString(1024) type!: string;
  @RequiredString(1024) name!: string;
  @RequiredString(100_000) content!: string;
}

export class CodeEditorCompletionComponent {
  @UnionTag() type!: 'code_editor_completion';
  @RequiredNested(EditorCompletionPayload) payload!: EditorCompletionPayload;
  @OptionalNested(ComponentMetadataDto) metadata?: ComponentMetadataDto | null;
}

export class CodeEditorGenerationComponent {
  @UnionTag() type!: 'code_editor_generation';
  @RequiredNested(EditorGenerationPayload) payload!: EditorGenerationPayload;
  @OptionalNested(ComponentMetadataDto) metadata?: ComponentMetadataDto | null;
}

export class CodeContextComponent {
  @UnionTag() type!: 'code_context';
  @RequiredNested(CodeContextPayload) payload!: CodeContextPayload;
  @OptionalNested(ComponentMetadataDto) metadata?: ComponentMetadataDto | null;
}

export type PromptComponent = CodeEditorCompletionComponent | CodeEditorGenerationComponent | CodeContextComponent;

export const PROMPT_COMPONENT: TaggedUnion<PromptComponent> = {
  discriminator: 'type',
  variants: new Map<unknown, new () => PromptComponent>([
    ['code_editor_completion', CodeEditorCompletionComponent],
    ['code_editor_generation', CodeEditorGenerationComponent],
    ['code_context', CodeContextComponent],
  ]),
};

/** The envelope; each `prompt_components` item is then validated as a {@link PROMPT_COMPONENT}. */
export class SuggestionsV3Request {
  @RequiredTaggedList(100, 1) prompt_components!: PromptComponent[];
  @OptionalNested(ModelMetadataDto) model_metadata?: ModelMetadataDto | null;
}

/** A validated v3/v4 body. */
export interface SuggestionsV3Body {
  components: PromptComponent[];
  modelMetadata?: ModelMetadataDto;
}

export interface SuggestionChoice {
  text: string;
  index: 0;
  finish_reason: 'length';
}

export interface TokensConsumptionMetadata {
  input_tokens: number;
  output_tokens: number;
  context_tokens_sent: number;
  context_tokens_used: number;
}

/** `/v2/code/*` response (http-api.md §2.2; `metadata` per §9.9). */
export interface SuggestionsResponse {
  id: 'id';
  model: {
    engine: string;
    name: string;
    lang: string;
    tokens_consumption_metadata: TokensConsumptionMetadata | null;
    region: string;
  };
  experiments: [];
  object: 'text_completion';
  created: number;
  choices: SuggestionChoice[];
  metadata: { enabled_feature_flags: string[] };
}

/** `/v3/code/completions` and non-streaming `/v4/code/suggestions` response (http-api.md §2.8). */
export interface SuggestionsV3Response {
  choices: SuggestionChoice[];
  metadata: {
    model: { engine: string; name: string; lang: string; region: string };
    timestamp: number;
    enabled_feature_flags: string[];
  };
}
