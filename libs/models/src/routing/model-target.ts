import { AppError, ErrorCode } from '@app/common';
import { ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { isKnownModel } from '../catalog/model-families';

/** Model fields as a request carries them (`model_metadata`, or the `model_*` body fields). */
export interface ModelMetadata {
  provider?: string | null;
  name?: string | null;
  endpoint?: string | null;
  apiKey?: string | null;
  identifier?: string | null;
}

/** What differs between the paths that call a model (http-api.md §6.1 "Path defaults"). */
export interface TargetDefaults {
  /** Used when neither the metadata nor the identifier names a provider. */
  provider: string;
  /** Registry paths strip one trailing `/` from the endpoint; legacy paths keep it. */
  stripTrailingSlash: boolean;
  /** Sent when no key is given: `None` on registry paths, `stubbed-api-key` on legacy paths. */
  missingApiKey: 'None' | 'stubbed-api-key';
}

const BEDROCK = 'bedrock';

/** Where a request goes, by the routing rules of http-api.md §6.1, with the family it named. */
export function resolveModelTarget(metadata: ModelMetadata, defaults: TargetDefaults): ModelTarget {
  const target = routeOf(metadata, defaults);
  return isKnownModel(metadata.name) ? { ...target, family: metadata.name! } : target;
}

function routeOf(metadata: ModelMetadata, defaults: TargetDefaults): ModelTarget {
  const endpoint = metadata.endpoint || undefined;
  const apiBase = endpoint && defaults.stripTrailingSlash ? endpoint.replace(/\/$/, '') : endpoint;
  const apiKey = metadata.apiKey || defaults.missingApiKey;
  const identifier = metadata.identifier ?? '';

  const slash = identifier.indexOf('/');
  if (slash >= 0) {
    const provider = identifier.slice(0, slash);
    const model = identifier.slice(slash + 1);
    return provider === BEDROCK ? { provider, model, apiKey } : { provider, model, apiBase, apiKey };
  }
  if (identifier !== '') return { provider: 'custom_openai', model: identifier, apiBase, apiKey };
  if (!metadata.name) {
    throw new AppError(ErrorCode.InvalidInput, 'model name: either a model name or a model identifier is required');
  }
  return { provider: metadata.provider || defaults.provider, model: metadata.name, apiBase, apiKey };
}
