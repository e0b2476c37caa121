import { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import semver from 'semver';
import { AppError, ErrorCode } from '@app/common';
import { modelEndpointRequired, ModelMetadata } from '@app/models';
import { refuseCloudOnlyProvider } from '../model-requests/custom-models';
import { ModelMetadataDto } from '../model-requests/model-metadata.dto';
import { MODEL_METADATA_FIELDS, ModelSelection } from '../model-requests/model-selection';
import { CodeCompletionsService } from './code-completions.service';
import { CodeGenerationsService, GENERATIONS_PROMPT_ID } from './code-generations.service';
import { SuggestionsV3Body } from './code-suggestions.dto';
import { defaultProviderOf } from './self-hosted-targets';
import { Suggestion } from './suggestion';

/** Language Server version from which `code_context` components are used (http-api.md §1.4, §2.8). */
const ADVANCED_CONTEXT_SINCE = '6.3.0';

/**
 * `/v3/code/completions` and `/v4/code/suggestions` on self-hosted models (http-api.md §2.8, §9.8; gitlab-versions.md
 * §3): the first component runs through the same prompt-registry paths as `/v2/code/*`, on the top-level
 * `model_metadata`; without one, §2's rule answers 422 naming `model_metadata.endpoint`.
 */
@Injectable()
export class CodeSuggestionsV3Service {
  constructor(
    private readonly completions: CodeCompletionsService,
    private readonly generations: CodeGenerationsService,
    private readonly selection: ModelSelection,
  ) {}

  suggest(
    body: SuggestionsV3Body,
    headers: IncomingHttpHeaders,
    userId: string | undefined,
    signal: AbortSignal,
  ): Promise<Suggestion> {
    const [first] = body.components;
    if (first.type === 'code_context') {
      const message = 'The first prompt component must be a code_editor_completion or code_editor_generation';
      throw new AppError(ErrorCode.InvalidInput, message);
    }
    const metadata = body.modelMetadata;
    if (!metadata) throw modelEndpointRequired(MODEL_METADATA_FIELDS.endpoint);
    refuseCloudOnlyProvider(metadata.provider);
    this.selection.noteUnknown(metadata.name ?? '');
    const common = {
      file: first.payload,
      model: modelOf(metadata),
      fields: MODEL_METADATA_FIELDS,
      userId,
      stream: first.payload.stream === true,
      telemetry: [],
      signal,
    };
    if (first.type === 'code_editor_completion') {
      const contents = body.components.flatMap((item) => (item.type === 'code_context' ? [item.payload.content] : []));
      const context = supportsAdvancedContext(headers) ? contents : [];
      return this.completions.viaRegistry({ ...common, provider: defaultProviderOf(undefined, 'text'), context });
    }
    const { prompt, prompt_id: promptId, prompt_version: versionConstraint } = first.payload;
    return this.generations.viaRegistry(
      { ...common, provider: defaultProviderOf(undefined, 'chat'), prompt: prompt ?? '' },
      { promptId: promptId ?? GENERATIONS_PROMPT_ID, versionConstraint: versionConstraint ?? undefined },
    );
  }
}

/** The provider is the path default, as on `/v2/code/*`: text completions for FIM, chat for generations. */
function modelOf(metadata: ModelMetadataDto): ModelMetadata {
  return {
    name: metadata.name,
    endpoint: metadata.endpoint,
    apiKey: metadata.api_key,
    identifier: metadata.identifier,
  };
}

function supportsAdvancedContext(headers: IncomingHttpHeaders): boolean {
  const version = semver.coerce(String(headers['x-gitlab-language-server-version'] ?? ''));
  return version !== null && semver.gte(version, ADVANCED_CONTEXT_SINCE);
}
