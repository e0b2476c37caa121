import { Injectable } from '@nestjs/common';
import {
  GENERAL_MODEL,
  ModelFieldNames,
  ModelMetadata,
  ModelService,
  ModelTarget,
  resolveModelTarget,
  validateModelEndpoint,
} from '@app/models';
import { AppConfig } from '../config';
import { requireCustomModels } from '../model-requests/custom-models';

/** The wire dialect a model is called in: text completions for fill-in-the-middle, chat for the rest. */
export type Dialect = 'text' | 'chat';

const V2_FIELDS: ModelFieldNames = { endpoint: 'model_endpoint', apiKey: 'model_api_key' };

/**
 * The provider a request's `model_provider` stands for when its identifier names none (http-api.md §6.1):
 * Mistral's hosted Codestral for `codestral`, Anthropic for `anthropic` (both only with an endpoint or the
 * operator's key, gitlab-versions.md §2), an OpenAI-compatible server otherwise.
 */
export function defaultProviderOf(modelProvider: string | null | undefined, dialect: Dialect): string {
  if (modelProvider === 'codestral') return dialect === 'text' ? 'text-completion-codestral' : 'codestral';
  if (modelProvider === 'anthropic') return 'anthropic';
  return dialect === 'text' ? 'text-completion-openai' : 'custom_openai';
}

/** Where self-hosted code suggestions go, from the request's model fields (http-api.md §6.1). */
@Injectable()
export class SelfHostedTargets {
  constructor(
    private readonly config: AppConfig,
    private readonly models: ModelService,
  ) {}

  /**
   * Prompt-registry paths: one trailing `/` stripped. The target is checked here, before the prompt is built,
   * so that a request without an endpoint is refused with 422 naming the field before anything is sent
   * (gitlab-versions.md §2); `ModelService` checks it again at call time.
   */
  registry(metadata: ModelMetadata, defaultProvider: string, fields: ModelFieldNames = V2_FIELDS): ModelTarget {
    requireCustomModels(this.config);
    this.checkNamedEndpoint(metadata, fields);
    // An unspecified model is served as `general` (gitlab-versions.md §2).
    const target = resolveModelTarget(
      { ...metadata, name: metadata.name || GENERAL_MODEL },
      {
        provider: defaultProvider,
        stripTrailingSlash: true,
        missingApiKey: 'None',
      },
    );
    this.models.assertServable(target, fields);
    return target;
  }

  /** Legacy LiteLLM paths (http-api.md §6.6): model string `<provider>/<family>` unless an identifier says otherwise. */
  legacy(metadata: ModelMetadata, defaultProvider: string): ModelTarget {
    requireCustomModels(this.config);
    this.checkNamedEndpoint(metadata, V2_FIELDS);
    const target = resolveModelTarget(metadata, {
      provider: defaultProvider,
      stripTrailingSlash: false,
      missingApiKey: 'stubbed-api-key',
    });
    this.models.assertServable(target, V2_FIELDS);
    return target;
  }

  /** A `bedrock/` identifier drops the endpoint from the target; the request's endpoint is still answered for. */
  private checkNamedEndpoint(metadata: ModelMetadata, fields: ModelFieldNames): void {
    if (metadata.endpoint) {
      validateModelEndpoint(metadata.endpoint, this.config.customModels.allowedEndpoints, fields.endpoint);
    }
  }
}
