import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { OptionalHeaderValue, RequiredNested } from '../validation/field-rules';

/** LiteLLM families and Anthropic model ids `/v1/chat` accepts (http-api.md §3.1). */
const LITELLM_CHAT_MODELS = [
  'codegemma',
  'codellama',
  'codestral',
  'mistral',
  'mixtral',
  'deepseekcoder',
  'claude_3',
  'claude_3.5',
  'gpt',
  'qwen2p5-coder-7b',
];
const ANTHROPIC_CHAT_MODELS = [
  'claude-2.0',
  'claude-2.1',
  'claude-instant-1.2',
  'claude-3-haiku-20240307',
  'claude-3-sonnet-20240229',
  'claude-3-opus-20240229',
  'claude-3-5-sonnet-20240620',
  'claude-3-5-sonnet-20241022',
  'claude-3-5-haiku-20241022',
];
const MESSAGE_ROLES = ['system', 'user', 'assistant'];
const MAX_CONTENT_LENGTH = 400_000;

export interface ChatContentMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A string of at most 400 000 characters, or 1–100 `{role, content}` messages. */
const IsChatContent = () =>
  ValidateBy({
    name: 'isChatContent',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string'
          ? value.length <= MAX_CONTENT_LENGTH
          : Array.isArray(value) && value.length >= 1 && value.length <= 100 && value.every(isContentMessage),
      defaultMessage: () =>
        `content must be a string of at most ${MAX_CONTENT_LENGTH} characters or 1 to 100 messages with a role (system, user, assistant) and a content string`,
    },
  });

const isContentMessage = (value: unknown): value is ChatContentMessage =>
  typeof value === 'object' &&
  value !== null &&
  MESSAGE_ROLES.includes((value as ChatContentMessage).role) &&
  typeof (value as ChatContentMessage).content === 'string';

class ComponentMetadataDto {
  @IsString() @MaxLength(100) source!: string;
  @IsString() @MaxLength(100) version!: string;
}

/** Anthropic request parameters. */
class AnthropicParamsDto {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(225, { each: true })
  stop_sequences: string[] = ['\n\nHuman', 'Observation:'];
  @IsOptional() @IsNumber() @Min(0) @Max(1) temperature = 0.2;
  @IsOptional() @IsInt() @Min(1) @Max(8192) max_tokens_to_sample = 8192;
}

class ChatPayloadDto {
  @IsChatContent() content!: string | ChatContentMessage[];
  @IsOptional() @IsIn(['anthropic', 'litellm']) provider?: 'anthropic' | 'litellm' | null;
  @IsOptional() @IsIn([...ANTHROPIC_CHAT_MODELS, ...LITELLM_CHAT_MODELS]) model = 'claude-2.0';
  /** Absent: the defaults; `null` is refused, since nothing would stand in for it. */
  @ValidateIf((_payload, value) => value !== undefined)
  @IsObject({ message: 'Input should be a valid dictionary' })
  @ValidateNested()
  @Type(() => AnthropicParamsDto)
  params: AnthropicParamsDto = new AnthropicParamsDto();
  @IsOptional() @IsString() model_endpoint?: string;
  @OptionalHeaderValue(2000) model_api_key?: string;
  @IsOptional() @IsString() @MaxLength(1000) model_identifier?: string;
}

export class PromptComponentDto {
  @IsString() @MaxLength(100) type!: string;
  @RequiredNested(ComponentMetadataDto) metadata!: ComponentMetadataDto;
  @RequiredNested(ChatPayloadDto) payload!: ChatPayloadDto;
}

/** `POST /v1/chat/{chat_invokable}` (http-api.md §3.1). */
export class ChatRequestDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @IsObject({ each: true, message: 'Input should be a valid dictionary' })
  @ValidateNested({ each: true })
  @Type(() => PromptComponentDto)
  prompt_components!: PromptComponentDto[];
  @IsOptional() @IsBoolean() stream = false;
}

/** Non-streaming answer; `metadata` echoes the request. */
export interface ChatResponse {
  response: string;
  metadata: { provider: string; model: string; timestamp: number };
}
