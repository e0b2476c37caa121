import { AppError, ErrorCode } from '@app/common';
import { ModelTarget, resolveModelTarget } from '@app/models';
import { AppConfig } from '../config';
import { ModelMetadataDto } from './prompts.dto';

/**
 * A request that names its own model server needs `AIGW_CUSTOM_MODELS__ENABLED`; without it, it fails with 500
 * and this message in the log, as in the original (http-api.md §2.2, §3.1, §3.3).
 */
export function requireCustomModels(config: AppConfig): void {
  if (!config.customModels.enabled) {
    throw new AppError(ErrorCode.Internal, 'Endpoint override not allowed when custom models are disabled.');
  }
}

/**
 * Where the `model_metadata` of `/v1/prompts` and `/v2/chat/agent` points (http-api.md §6.1): its provider as
 * sent (Rails sends `openai`, also the default), one trailing `/` stripped, the key `None` when absent.
 */
export function modelMetadataTarget(metadata: ModelMetadataDto): ModelTarget {
  const { provider, name, endpoint, api_key: apiKey, identifier } = metadata;
  return resolveModelTarget(
    { provider, name, endpoint, apiKey, identifier },
    { provider: 'openai', stripTrailingSlash: true, missingApiKey: 'None' },
  );
}
