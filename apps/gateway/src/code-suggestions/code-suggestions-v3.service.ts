import { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import semver from 'semver';
import { AppError, ErrorCode } from '@app/common';
import { ModelMetadata } from '@app/models';
import { CodeCompletionsService } from './code-completions.service';
import { CodeGenerationsService } from './code-generations.service';
import { ModelMetadataDto, SuggestionsV3Body } from './code-suggestions.dto';
import { notServed, Suggestion } from './suggestion';

const GENERATIONS_PROMPT_ID = 'code_suggestions/generations';
/** Language Server version from which `code_context` components are used (http-api.md §1.4, §2.8). */
const ADVANCED_CONTEXT_SINCE = '6.3.0';

/**
 * `/v3/code/completions` and `/v4/code/suggestions` on self-hosted models (http-api.md §2.8, §9.8): the first
 * component runs through the same prompt-registry paths as `/v2/code/*`, on the top-level `model_metadata`.
 */
@Injectable()
export class CodeSuggestionsV3Service {
  constructor(
    private readonly completions: CodeCompletionsService,
    private readonly generations: CodeGenerationsService,
  ) {}

  suggest(body: SuggestionsV3Body, headers: IncomingHttpHeaders, signal: AbortSignal): Promise<Suggestion> {
    const [first] = body.components;
    if (first.type === 'code_context') {
      const message = 'The first prompt component must be a code_editor_completion or code_editor_generation';
      throw new AppError(ErrorCode.InvalidInput, message);
    }
    if (!body.modelMetadata) throw notServed(first.payload.model_provider);
    const model = modelOf(body.modelMetadata);
    const common = { file: first.payload, model, stream: first.payload.stream === true, telemetry: [], signal };
    if (first.type === 'code_editor_completion') {
      const contents = body.components.flatMap((item) => (item.type === 'code_context' ? [item.payload.content] : []));
      const context = supportsAdvancedContext(headers) ? contents : [];
      return this.completions.viaRegistry({ ...common, context });
    }
    const { prompt, prompt_id: promptId, prompt_version: versionConstraint } = first.payload;
    return this.generations.viaRegistry(
      { ...common, prompt: prompt ?? '' },
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
