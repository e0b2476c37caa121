import { Injectable } from '@nestjs/common';
import { assertCan, Identity } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { ModelService, ModelTarget, resolveModelTarget, validateModelEndpoint } from '@app/models';
import { AppConfig } from '../config';
import { capabilityModelError } from '../errors/capability-model-errors';
import { checkContentLimits } from './embeddings-limits';
import { EmbeddingsModelMetadataDto, EmbeddingsRequestDto, EmbeddingsResponse } from './embeddings.dto';

/** `model_metadata.name` the `litellm` provider must carry (upstream's `EMBEDDING_MODEL_NAME`). */
const EMBEDDING_MODEL_NAME = 'embedding';
/**
 * Upstream serves this route through its prompt `embeddings_code`, whose unit primitive is
 * `generate_embeddings_codebase`; a caller without it is refused in the prompt registry's words.
 */
const UNIT_PRIMITIVE = 'generate_embeddings_codebase';
const DENIED = "Unauthorized to access 'embeddings_code'";

export interface EmbeddingCall {
  target: ModelTarget;
  metadata: EmbeddingsModelMetadataDto;
  contents: string[];
  dimensions?: number;
}

/** Code embeddings for GitLab's semantic code search, from an OpenAI-compatible `/embeddings` server. */
@Injectable()
export class EmbeddingsService {
  constructor(
    private readonly models: ModelService,
    private readonly config: AppConfig,
  ) {}

  /** Every check before the model is called, in upstream's order: body, model metadata, scope. */
  prepare(body: EmbeddingsRequestDto, identity: Identity | undefined): EmbeddingCall {
    checkContentLimits(body.contents, this.config.embeddings);
    const metadata = body.model_metadata;
    checkProvider(metadata);
    if (!this.config.customModels.enabled) {
      throw invalid('specifying custom models endpoint is disabled: api_base is not allowed');
    }
    assertCan(identity, { primitives: [UNIT_PRIMITIVE], message: DENIED });
    validateModelEndpoint(metadata.endpoint!, this.config.customModels.allowedEndpoints, 'model_metadata.endpoint');
    return {
      target: embeddingTarget(metadata),
      metadata,
      contents: body.contents,
      dimensions: body.dimensions ?? undefined,
    };
  }

  async embed(call: EmbeddingCall, signal: AbortSignal): Promise<EmbeddingsResponse> {
    let vectors: number[][];
    try {
      ({ vectors } = await this.models.embed(
        call.target,
        { inputs: call.contents, dimensions: call.dimensions, signal },
        { featureCategory: 'global_search' },
      ));
    } catch (error) {
      throw capabilityModelError('embeddings', error);
    }
    return {
      model: {
        engine: 'litellm_embedding',
        name: call.metadata.name ?? call.target.model,
        identifier: call.metadata.identifier,
      },
      predictions: vectors.map((embedding, index) => ({ embedding, index })),
    };
  }
}

/** gitlab-versions.md §8 and §4a, upstream's texts. */
function checkProvider(metadata: EmbeddingsModelMetadataDto): void {
  if (metadata.provider === 'gitlab') {
    throw invalid('model provider gitlab is not available on a self-hosted AI gateway');
  }
  if (metadata.provider !== 'litellm') throw invalid('Allowed providers are: gitlab|litellm.');
  if (!metadata.name) throw invalid('Model `name` must be set when using `litellm` provider.');
  if (metadata.name !== EMBEDDING_MODEL_NAME) {
    throw invalid(`Model \`name\` must be '${EMBEDDING_MODEL_NAME}' when using \`litellm\` provider.`);
  }
  if (!metadata.endpoint) throw invalid('Model `endpoint` must be set when using `litellm` provider.');
}

/**
 * `openai/text-embedding-3-small` → provider `openai`; a bare name → `custom_openai`, which (as LiteLLM) sends
 * the key `dummy_key` when none is given (gitlab-versions.md §2); a named provider without a key sends none.
 */
function embeddingTarget(metadata: EmbeddingsModelMetadataDto): ModelTarget {
  const target = resolveModelTarget(
    { endpoint: metadata.endpoint, apiKey: metadata.api_key, identifier: metadata.identifier },
    { provider: 'custom_openai', stripTrailingSlash: true, missingApiKey: 'None' },
  );
  const apiKey = metadata.api_key || (target.provider === 'custom_openai' ? 'dummy_key' : undefined);
  return { ...target, apiKey };
}

const invalid = (message: string) => new AppError(ErrorCode.InvalidInput, message);
