import { IsBoolean, IsObject, IsOptional, IsString } from 'class-validator';
import { OptionalNested } from '../validation/field-rules';
import { ModelMetadataDto } from '../model-requests/model-metadata.dto';

/** `POST /v1/prompts/{prompt_id}` and `/v2/prompts/{prompt_id}` (http-api.md §3.3, gitlab-versions.md §4). */
export class PromptRequestDto {
  @IsObject() inputs!: Record<string, unknown>;
  @IsOptional() @IsString() prompt_version = '^1.0.0';
  @IsOptional() @IsBoolean() stream = false;
  @OptionalNested(ModelMetadataDto) model_metadata?: ModelMetadataDto | null;
}

/** `/v2/prompts` answer and stream line (gitlab-versions.md §4); `usage` only when the model reported it. */
export interface PromptResponseV2 {
  content: string;
  usage?: Record<string, { input_tokens: number; output_tokens: number }>;
}
