import { IsArray, IsDefined, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { OptionalString, RequiredNested, RequiredString } from '../validation/field-rules';

/** Limits of gitlab-versions.md §2. */
export class EmbeddingsModelMetadataDto {
  /** `litellm` (self-hosted) or `gitlab` (GitLab-managed, refused here). */
  @RequiredString(255) provider!: string;
  /** `openai/<model>`, `<provider>/<model>`, or a bare model name served as `custom_openai`. */
  @RequiredString(1000) identifier!: string;
  @OptionalString(255) name?: string | null;
  @OptionalString(255) endpoint?: string | null;
  @OptionalString(2000) api_key?: string | null;
}

/** `POST /v1/embeddings/code_embeddings` (gitlab-versions.md §8). Item and size limits: `AIGW_EMBEDDINGS__*`. */
export class EmbeddingsRequestDto {
  @RequiredNested(EmbeddingsModelMetadataDto) model_metadata!: EmbeddingsModelMetadataDto;
  @IsDefined({ message: 'Field required' })
  @IsArray({ message: 'Input should be a valid list' })
  @IsString({ each: true, message: 'Input should be a valid string' })
  contents!: string[];
  @IsOptional()
  @IsInt({ message: 'Input should be a valid integer' })
  @Min(1, { message: 'Input should be greater than or equal to 1' })
  dimensions?: number | null;
}

export interface EmbeddingsResponse {
  model: { engine: string; name: string; identifier: string };
  predictions: Array<{ embedding: number[]; index: number }>;
}
