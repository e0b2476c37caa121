import { ValidateIf } from 'class-validator';
import { MODEL_METADATA_LIMITS as LIMITS } from '@app/models';
import { OptionalHeaderValue, OptionalHttpUrl, OptionalString, RequiredString } from '../validation/field-rules';

/**
 * `model_metadata` of every route that takes it (gitlab-versions.md §2): a self-hosted model (`provider`, `name`,
 * `endpoint`, `api_key`, `identifier`), or the GitLab-managed (`provider: gitlab`, `identifier` or
 * `feature_setting`, no `name`) and Amazon Q (`role_arn`) forms, which are accepted here and refused by
 * `ModelSelection` with a clear message.
 */
export class ModelMetadataDto {
  @RequiredString(LIMITS.provider) provider!: string;
  @ValidateIf((metadata: ModelMetadataDto) => metadata.provider !== 'gitlab')
  @RequiredString(LIMITS.name)
  name?: string;
  @OptionalHttpUrl(LIMITS.endpoint) endpoint?: string | null;
  @OptionalHeaderValue(LIMITS.api_key) api_key?: string | null;
  @OptionalString(LIMITS.identifier) identifier?: string | null;
  @OptionalString(255) feature_setting?: string | null;
  @OptionalString(2048) role_arn?: string | null;
}
