/** Canonical request and response shapes; every provider translates to and from these. */

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, as the model produced it. */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** Assistant turns that called tools. */
  toolCalls?: ToolCall[];
  /** Tool results: the call they answer. */
  toolCallId?: string;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface GenerationParams {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  /** Empty or absent: no `stop` sent upstream (http-api.md §6.1 Rec.). */
  stop?: string[];
  /** Whole-request budget; the transport's read timeout still applies between bytes. */
  timeoutS?: number;
}

export interface ModelRequest extends GenerationParams {
  /** Text-completion targets send the last user message as the prompt (http-api.md §6.1 Rec.). */
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** Aborting it cancels the upstream request at once. */
  signal?: AbortSignal;
  /** The caller's `X-Gitlab-User-Id`, for `AIGW_CUSTOM_MODELS__USER_ID_HEADER` and prefix affinity. */
  userId?: string;
  /** The model family the messages were written for (`model_metadata.name`); routes may match on it. */
  family?: string;
  /**
   * The same request written for another family, for a fallback pool of that family (its own prompt layout and
   * stop tokens); absent: such pools are skipped.
   */
  rewriteFor?: (family: string) => ModelRequest;
  /** What, with `userId`, keys prefix affinity (the file being completed); default: the prompt's start. */
  affinityKey?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'unknown';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type Chunk =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'usage'; usage: Usage };

export interface Completion {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage?: Usage;
}

/**
 * Where a request goes, after the routing rules of http-api.md §6.1: `provider` is the wire dialect
 * (`custom_openai`, `openai`, `text-completion-openai`, `anthropic`, `bedrock`, `azure`, …), `model` the
 * upstream model name, `apiBase` the endpoint (absent for bedrock), `apiKey` never logged.
 */
export interface ModelTarget {
  provider: string;
  model: string;
  /** The model family the request named (`model_metadata.name`), when it is one of the list: a metric label. */
  family?: string;
  apiBase?: string;
  apiKey?: string;
  /** Extra headers for `apiBase`, set by `ModelService` from the configuration. */
  headers?: Record<string, string>;
}

/** Texts to turn into vectors (OpenAI's `/embeddings`). */
export interface EmbeddingRequest {
  inputs: string[];
  /** Vector size, for models that can shorten theirs; absent: the model's own. */
  dimensions?: number;
  signal?: AbortSignal;
  timeoutS?: number;
}

/** One vector per input, in the order of the inputs. */
export interface Embeddings {
  vectors: number[][];
  usage?: { inputTokens: number };
}

/** One wire dialect. Errors leave as `AppError` with a model error code; streams honour `signal`. */
export interface ModelProvider {
  generate(target: ModelTarget, request: ModelRequest): Promise<Completion>;
  /** Text and tool-call deltas, then usage (when the upstream reports it) and one `finish` chunk, last. */
  stream(target: ModelTarget, request: ModelRequest): AsyncIterable<Chunk>;
  /** Only dialects with an embeddings API have it. */
  embed?(target: ModelTarget, request: EmbeddingRequest): Promise<Embeddings>;
  /**
   * Whether a target naming no endpoint may be called (gitlab-versions.md §2): a vendor's cloud the operator
   * configured a key for, or a service whose address comes from elsewhere (Bedrock's AWS settings). Absent: never,
   * the request must name an endpoint.
   */
  servesWithoutEndpoint?(name: string): boolean;
}
