import { Chunk, ModelRequest } from '@app/models';

/** The model one call talks to, chosen once from `x-gitlab-agent-platform-model-metadata` (§6.8). */
export interface SessionModel {
  /** Context window reported as `agent_context_usage.max_tokens`. */
  readonly maxContextTokens: number;
  /** The model family (`name` of self-hosted model metadata, e.g. `mistral`), when known: picks prompt variants. */
  readonly family?: string;
  stream(request: ModelRequest): AsyncIterable<Chunk>;
}

export abstract class SessionModelFactory {
  /** `metadataJson` is the raw header: it may hold an api key, so it is never logged. */
  abstract create(metadataJson: string | undefined): SessionModel;
}
