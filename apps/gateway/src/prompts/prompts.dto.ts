import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, IsUrl, MaxLength, ValidateNested } from 'class-validator';

const HTTP_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** `model_metadata` of `/v1/prompts` and `/v2/chat/agent` (http-api.md §3.2). */
export class ModelMetadataDto {
  @IsOptional() @IsString() @MaxLength(255) provider?: string;
  @IsString() @MaxLength(255) name!: string;
  @IsUrl(HTTP_URL, { message: 'URL input should be a string or URL' }) @MaxLength(255) endpoint!: string;
  @IsOptional() @IsString() @MaxLength(255) api_key?: string;
  @IsOptional() @IsString() @MaxLength(255) identifier?: string;
}

/** `POST /v1/prompts/{prompt_id}` (http-api.md §3.3). */
export class PromptRequestDto {
  @IsObject() inputs!: Record<string, unknown>;
  @IsOptional() @IsString() prompt_version = '^1.0.0';
  @IsOptional() @IsBoolean() stream = false;
  @IsOptional() @ValidateNested() @Type(() => ModelMetadataDto) model_metadata?: ModelMetadataDto;
}
