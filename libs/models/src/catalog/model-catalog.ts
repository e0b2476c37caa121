import { GenerationParams } from '@gitlab-ai-gateway/provider-api';
import { GENERAL_MODEL, isKnownModel, MODEL_FAMILIES, ModelUseCase } from './model-families';

/** `model_provider` values served through LiteLLM in the original, whose `model_name` is a family (§2.1). */
const LITELLM_PROVIDERS = new Set(['litellm', 'codestral', 'fireworks_ai']);
const LEGACY_TIMEOUT_S = 30;
const REGISTRY_INPUT_TOKEN_LIMIT = 2_048;

/**
 * The `model_name` check of `/v2/code/*` (http-api.md §2.1; names per gitlab-versions.md §3: every self-hosted id
 * serves both use cases): the exact validation message, or `undefined` when the name is fine. Only LiteLLM
 * providers are checked; the others are refused later, by provider.
 */
export function codeSuggestionModelError(
  useCase: ModelUseCase,
  provider: string,
  modelName: string,
): string | undefined {
  if (!LITELLM_PROVIDERS.has(provider) || isKnownModel(modelName)) return undefined;
  return `model ${modelName} is not supported by use case ${useCase} and provider ${provider}`;
}

/** `/v1/chat/*` and `/v2/code/generations` without a prompt id (http-api.md §6.6). */
export function legacyChatParams(family: string): GenerationParams {
  return { temperature: 0.2, topP: 0.95, maxTokens: 2048, stop: legacyStop(family), timeoutS: LEGACY_TIMEOUT_S };
}

/** Token budget `T` for prefix + suffix (+ context) of a completion (http-api.md §2.4). */
export function inputTokenLimit(family: string, path: 'registry' | 'legacy'): number {
  if (path === 'registry') return REGISTRY_INPUT_TOKEN_LIMIT;
  return MODEL_FAMILIES[isKnownModel(family) ? family : GENERAL_MODEL].legacyInputTokenLimit;
}

function legacyStop(family: string): string[] {
  return isKnownModel(family) ? [...MODEL_FAMILIES[family].legacyStop] : [];
}
