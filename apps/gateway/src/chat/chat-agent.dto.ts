import { Transform, Type } from 'class-transformer';
import { Equals, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { ModelMetadataDto } from '../prompts/prompts.dto';

const CONTEXT_TYPES = ['issue', 'epic', 'merge_request', 'commit', 'build'];
const ADDITIONAL_CONTEXT_CATEGORIES = ['file', 'snippet', 'merge_request', 'issue', 'dependency', 'local_git'];
/** GitLab escapes underscores in these fields; the model must see tool names as they are (http-api.md §3.2). */
const unescapeUnderscores = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.replace(/\\_/g, '_') : value));

class ResourceContextDto {
  @IsIn(CONTEXT_TYPES) type!: string;
  @IsString() content!: string;
}

class CurrentFileDto {
  @IsString() file_path!: string;
  @IsString() data!: string;
  @IsBoolean() selected_code!: boolean;
}

class AdditionalContextDto {
  @IsIn(ADDITIONAL_CONTEXT_CATEGORIES) category!: string;
  @IsOptional() @IsString() id?: string;
  @IsOptional() @IsString() content?: string;
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
}

export class AgentMessageDto {
  @IsIn(['user', 'assistant', 'system']) role!: 'user' | 'assistant' | 'system';
  @IsString() content!: string;
  @IsOptional() @ValidateNested() @Type(() => ResourceContextDto) context?: ResourceContextDto;
  @IsOptional() @ValidateNested() @Type(() => CurrentFileDto) current_file?: CurrentFileDto;
  @IsOptional() @IsString() resource_content?: string;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AdditionalContextDto)
  additional_context?: AdditionalContextDto[];
}

export class AgentStepDto {
  @unescapeUnderscores() @IsString() thought!: string;
  @unescapeUnderscores() @IsString() tool!: string;
  @IsString() tool_input!: string;
  @IsString() observation!: string;
}

class AgentScratchpadDto {
  @Equals('react') agent_type!: 'react';
  @IsArray() @ValidateNested({ each: true }) @Type(() => AgentStepDto) steps!: AgentStepDto[];
}

class AgentOptionsDto {
  @IsOptional() @ValidateNested() @Type(() => AgentScratchpadDto) agent_scratchpad?: AgentScratchpadDto;
}

/** `POST /v2/chat/agent` (http-api.md §3.2). */
export class ChatAgentRequestDto {
  @IsArray() @ValidateNested({ each: true }) @Type(() => AgentMessageDto) messages!: AgentMessageDto[];
  @IsOptional() @ValidateNested() @Type(() => AgentOptionsDto) options?: AgentOptionsDto;
  @IsOptional() @ValidateNested() @Type(() => ModelMetadataDto) model_metadata?: ModelMetadataDto;
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  unavailable_resources: string[] = ['Merge Requests, Pipelines, Vulnerabilities'];
}
