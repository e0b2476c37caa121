import { AppError, ErrorCode } from '@app/common';
import { ModelTarget, resolveModelTarget } from '@app/models';
import { AppConfig } from '../config';
import { ModelMetadataDto } from './model-metadata.dto';

/**
 * A request that names its own model server needs `AIGW_CUSTOM_MODELS__ENABLED`; without it, it fails with 500
 * and this message in the log (at warn: it is the contract, not a bug), as in the original (http-api.md §2.2,
 * §3.1, §3.3).
 */
export function requireCustomModels(config: AppConfig): void {
  if (!config.customModels.enabled) {
    throw new AppError(ErrorCode.InternalByContract, 'Endpoint override not allowed when custom models are disabled.');
  }
}

/** GitLab-managed models and Amazon Q live in GitLab's cloud only (gitlab-versions.md §2, §4a). */
const CLOUD_ONLY_PROVIDERS = new Set(['gitlab', 'amazon_q']);

/** 422 with gitlab-versions.md §4a's text for `model_metadata.provider` / `model_provider` `gitlab` or `amazon_q`. */
export function refuseCloudOnlyProvider(provider: string | null | undefined): void {
  if (provider && CLOUD_ONLY_PROVIDERS.has(provider)) {
    throw new AppError(
      ErrorCode.InvalidInput,
      `model provider ${provider} is not available on a self-hosted AI gateway`,
    );
  }
}

/**
 * Where the `model_metadata` of `/v1/prompts`, `/v2/chat/agent` and `/v3`/`/v4` points (http-api.md §6.1): its
 * provider as sent (Rails sends `openai`, also the default), one trailing `/` stripped, the key `None` when
 * absent, `dummy_key` for a `custom_openai` model without an identifier (gitlab-versions.md §2).
 */
export function modelMetadataTarget(metadata: ModelMetadataDto): ModelTarget {
  const { provider, name, endpoint, api_key, identifier } = metadata;
  const apiKey = api_key || (provider === 'custom_openai' && !identifier ? 'dummy_key' : undefined);
  return resolveModelTarget(
    { provider, name, endpoint, apiKey, identifier },
    { provider: 'openai', stripTrailingSlash: true, missingApiKey: 'None' },
  );
}
