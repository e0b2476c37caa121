import { ModelMetadata, ModelTarget } from '@app/models';
import { StreamSource } from '../streaming/http-stream-writer';
import { CompletionsRequest, GenerationsRequest, TokensConsumptionMetadata } from './code-suggestions.dto';

/** The model a suggestion names in its envelope (`model.engine`, `model.name`, `model.lang`). */
export interface SuggestionModel {
  engine: string;
  name: string;
  lang: string;
}

/** What a code-suggestion service produced, before it is shaped for one endpoint version. */
export type Suggestion =
  | { kind: 'text'; model: SuggestionModel; text: string; tokens: TokensConsumptionMetadata | null }
  | { kind: 'stream'; model: SuggestionModel; chunks: StreamSource };

/** The `model_*` fields of a `/v2/code/*` body. */
export function modelFields(body: CompletionsRequest | GenerationsRequest): ModelMetadata {
  const { model_name: name, model_endpoint: endpoint, model_api_key: apiKey, model_identifier: identifier } = body;
  return { name, endpoint, apiKey, identifier };
}

/** DISABLE_STREAMING on a registry path: the whole text, streamed as one chunk (http-api.md §2.6). */
export function singleChunk(text: string): StreamSource {
  return async function* () {
    yield text;
  };
}

/** LiteLLM's model string, shown as `model.name` on legacy paths. */
export const modelString = (target: ModelTarget) => `${target.provider}/${target.model}`;
