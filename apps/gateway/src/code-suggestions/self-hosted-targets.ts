import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { ModelMetadata, ModelTarget, resolveModelTarget, validateModelEndpoint } from '@app/models';
import { AppConfig } from '../config';
import { requireCustomModels } from '../prompts/custom-models';
import { PyTuple, pythonRepr } from '../streaming/python-format';

/** Pydantic's `url_type` error as `/v2/code/*` handlers report it: a string detail (http-api.md §0.1, §2.2). */
const MISSING_ENDPOINT = (input: unknown) =>
  pythonRepr([
    {
      type: 'url_type',
      loc: new PyTuple(['endpoint']),
      msg: 'URL input should be a string or URL',
      input,
      url: 'https://errors.pydantic.dev/2.10/v/url_type',
    },
  ]);

/** Where self-hosted code suggestions go, from the request's model fields (http-api.md §6.1). */
@Injectable()
export class SelfHostedTargets {
  constructor(private readonly config: AppConfig) {}

  /**
   * Prompt-registry paths: the endpoint is required and checked; one trailing `/` is stripped. `ModelService`
   * checks the endpoint again, but only the target's (none for `bedrock/…` identifiers) and only at call time,
   * after the prompt and token checks; checking here keeps the request's `model_endpoint` answered first.
   */
  registry(metadata: ModelMetadata, defaultProvider: string): ModelTarget {
    requireCustomModels(this.config);
    if (typeof metadata.endpoint !== 'string') {
      throw new AppError(ErrorCode.InvalidInput, MISSING_ENDPOINT(metadata.endpoint ?? null));
    }
    validateModelEndpoint(metadata.endpoint, this.config.customModels.allowedEndpoints);
    return resolveModelTarget(metadata, { provider: defaultProvider, stripTrailingSlash: true, missingApiKey: 'None' });
  }

  /** Legacy LiteLLM paths (http-api.md §6.6): model string `<provider>/<family>` unless an identifier says otherwise. */
  legacy(metadata: ModelMetadata, defaultProvider: string): ModelTarget {
    requireCustomModels(this.config);
    if (metadata.endpoint) validateModelEndpoint(metadata.endpoint, this.config.customModels.allowedEndpoints);
    return resolveModelTarget(metadata, {
      provider: defaultProvider,
      stripTrailingSlash: false,
      missingApiKey: 'stubbed-api-key',
    });
  }
}
