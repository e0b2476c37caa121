import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ADDITIONAL_CONTEXT_CATEGORIES } from '@app/auth';
import { OptionalNested } from '../validation/field-rules';
import { ModelMetadataDto } from '../model-requests/model-metadata.dto';

/** A list of objects, each validated as `item`; absent or `null` is accepted. */
const OptionalObjectList = (item: new () => object) =>
  applyDecorators(
    IsOptional(),
    IsArray(),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => item),
  );

const PAGE_TYPES = ['issue', 'epic', 'merge_request', 'commit', 'build'];
/** GitLab escapes underscores in these fields; the model must see tool names as they are (http-api.md §3.2). */
const unescapeUnderscores = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.replace(/\\_/g, '_') : value));

/**
 * The page the user is on: `{type, content}` before GitLab 17.9, `{type, title}` since (the reader tools fetch
 * the body), `{type: "build"}` for a CI job (gitlab-versions.md §1).
 */
export class PageContextDto {
  @IsIn(PAGE_TYPES) type!: string;
  @IsOptional() @IsString() content?: string | null;
  @ValidateIf((context: PageContextDto) => context.type !== 'build' && typeof context.content !== 'string')
  @IsString({ message: 'title must be a string: a page context names its title (before GitLab 17.9, its content)' })
  title?: string | null;
}

export class CurrentFileDto {
  @IsString() file_path!: string;
  @IsString() data!: string;
  @IsBoolean() selected_code!: boolean;
}

export class AdditionalContextDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(ADDITIONAL_CONTEXT_CATEGORIES)
  category!: string;
  @IsOptional() @IsString() id?: string | null;
  @IsOptional() @IsString() content?: string | null;
  @IsOptional() @IsObject() metadata?: Record<string, unknown> | null;
}

class StepActionDto {
  @unescapeUnderscores() @IsString() thought!: string;
  @unescapeUnderscores() @IsString() tool!: string;
  @IsString() tool_input!: string;
  @IsOptional() @Equals('action') type?: 'action';
}

/** One step of a message's `agent_scratchpad` (GitLab ≥ 17.9); history steps may carry no action. */
export class MessageStepDto {
  @OptionalNested(StepActionDto) action?: StepActionDto | null;
  @IsOptional() @IsString() observation: string = '';
}

export class AgentMessageDto {
  @IsIn(['user', 'assistant', 'system']) role!: 'user' | 'assistant' | 'system';
  /** Null or absent on the assistant message that carries the running step's scratchpad. */
  @IsOptional() @IsString() content?: string | null;
  @OptionalNested(PageContextDto) context?: PageContextDto | null;
  @OptionalNested(CurrentFileDto) current_file?: CurrentFileDto | null;
  @IsOptional() @IsString() resource_content?: string | null;
  @OptionalObjectList(AdditionalContextDto) additional_context?: AdditionalContextDto[] | null;
  @OptionalObjectList(MessageStepDto) agent_scratchpad?: MessageStepDto[] | null;
}

/** A step of `options.agent_scratchpad` (GitLab < 17.9). */
export class AgentStepDto {
  @unescapeUnderscores() @IsString() thought!: string;
  @unescapeUnderscores() @IsString() tool!: string;
  @IsString() tool_input!: string;
  @IsString() observation!: string;
}

class AgentScratchpadDto {
  @Equals('react') agent_type!: 'react';
  @IsArray() @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => AgentStepDto) steps!: AgentStepDto[];
}

/** `chat_history` of GitLab 17.0–17.2: one string or a list of them. */
const OptionalHistory = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? [value] : value)),
    IsOptional(),
    IsArray({ message: 'chat_history must be a string or a list of strings' }),
    IsString({ each: true, message: 'chat_history must be a string or a list of strings' }),
  );

/**
 * `options`: the scratchpad (GitLab < 17.9); before GitLab 17.3 it also carried the page context, the current
 * file, extra context and the earlier conversation as text, beside a top-level `prompt`.
 */
class AgentOptionsDto {
  @OptionalNested(AgentScratchpadDto) agent_scratchpad?: AgentScratchpadDto | null;
  @OptionalHistory() chat_history?: string[] | null;
  @OptionalNested(PageContextDto) context?: PageContextDto | null;
  @OptionalNested(CurrentFileDto) current_file?: CurrentFileDto | null;
  @OptionalObjectList(AdditionalContextDto) additional_context?: AdditionalContextDto[] | null;
}

/**
 * `POST /v2/chat/agent` (http-api.md §3.2, gitlab-versions.md §1): the union of GitLab 17.x and 18.x shapes —
 * `messages`, or (GitLab 17.0–17.2) the question as `prompt` with its context in `options`.
 */
export class ChatAgentRequestDto {
  @ValidateIf((body: ChatAgentRequestDto) => body.prompt == null || body.messages !== undefined)
  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AgentMessageDto)
  messages!: AgentMessageDto[];
  @IsOptional() @IsString() prompt?: string | null;
  @OptionalNested(AgentOptionsDto) options?: AgentOptionsDto | null;
  @OptionalNested(ModelMetadataDto) model_metadata?: ModelMetadataDto | null;
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  unavailable_resources: string[] = ['Merge Requests, Pipelines, Vulnerabilities'];
}
