import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { ModelMetadata, ModelTarget, resolveModelTarget, validateModelEndpoint } from '@app/models';
import { AppConfig } from '../config';
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

  /** Prompt-registry paths: the endpoint is required and checked; one trailing `/` is stripped. */
  registry(metadata: ModelMetadata, defaultProvider: string): ModelTarget {
    this.requireCustomModels();
    if (typeof metadata.endpoint !== 'string') {
      throw new AppError(ErrorCode.InvalidInput, MISSING_ENDPOINT(metadata.endpoint ?? null));
    }
    validateModelEndpoint(metadata.endpoint, this.config.customModels.allowedEndpoints);
    return resolveModelTarget(metadata, { provider: defaultProvider, stripTrailingSlash: true, missingApiKey: 'None' });
  }

  /** Legacy LiteLLM paths (http-api.md §6.6): model string `<provider>/<family>` unless an identifier says otherwise. */
  legacy(metadata: ModelMetadata, defaultProvider: string): ModelTarget {
    this.requireCustomModels();
    if (metadata.endpoint) validateModelEndpoint(metadata.endpoint, this.config.customModels.allowedEndpoints);
    return resolveModelTarget(metadata, {
      provider: defaultProvider,
      stripTrailingSlash: false,
      missingApiKey: 'stubbed-api-key',
    });
  }

  /** The original fails the same way (500, logged) when a request names its own model while they are off. */
  private requireCustomModels(): void {
    if (!this.config.customModels.enabled) {
      throw new AppError(ErrorCode.Internal, 'Endpoint override not allowed when custom models are disabled.');
    }
  }
}
