import { AppError, ErrorCode } from '@app/common';
import {
  Chunk,
  Completion,
  EmbeddingRequest,
  Embeddings,
  ModelProvider,
  ModelRequest,
  ModelTarget,
  ProviderHttp,
  SseEvent,
  UpstreamCall,
  UpstreamPost,
} from '@gitlab-ai-gateway/provider-api';
import { fromChatResponse, fromEmbeddingsResponse, toChatBody, toEmbeddingsBody } from './openai-compatible.mapper';
import { chatStreamChunks } from './openai-compatible.stream';

/** A vendor's own API, used when the target names no endpoint (e.g. Mistral's hosted Codestral). */
export interface HostedApi {
  apiBase: string;
  apiKey?: string;
}

/**
 * OpenAI chat completions, `POST {api_base}/chat/completions` with `Authorization: Bearer` (http-api.md §6.1):
 * vLLM, Ollama, LiteLLM proxy, Mistral and any other server speaking OpenAI's API. Subclasses state what differs.
 */
export class OpenAiCompatibleProvider implements ModelProvider {
  protected readonly path: string = '/chat/completions';

  constructor(
    protected readonly http: ProviderHttp,
    private readonly hosted?: HostedApi,
  ) {}

  /** A hosted vendor API (Mistral's) serves targets without an endpoint once the operator set its key. */
  servesWithoutEndpoint(): boolean {
    return Boolean(this.hosted?.apiKey);
  }

  async generate(target: ModelTarget, request: ModelRequest): Promise<Completion> {
    const json = await this.http.postJson(this.post(target, request, false), new UpstreamCall(request));
    return this.toCompletion(json);
  }

  /** Built when called; the request leaves at the first pull. */
  stream(target: ModelTarget, request: ModelRequest): AsyncGenerator<Chunk> {
    return this.toChunks(this.http.postSse(this.post(target, request, true), new UpstreamCall(request)));
  }

  /** `POST {api_base}/embeddings`: the vectors in input order, whatever order the server listed them in. */
  async embed(target: ModelTarget, request: EmbeddingRequest): Promise<Embeddings> {
    const post = {
      url: this.embeddingsUrl(target),
      headers: { ...this.headers(target), ...target.headers },
      body: toEmbeddingsBody(target.model, request),
    };
    return fromEmbeddingsResponse(await this.http.postJson(post, new UpstreamCall(request)), request.inputs.length);
  }

  protected body(target: ModelTarget, request: ModelRequest, stream: boolean): Record<string, unknown> {
    return toChatBody(target.model, request, stream);
  }

  protected toCompletion(json: unknown): Completion {
    return fromChatResponse(json);
  }

  protected toChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<Chunk> {
    return chatStreamChunks(events);
  }

  protected url(target: ModelTarget): string {
    return `${this.apiBase(target)}${this.path}`;
  }

  protected embeddingsUrl(target: ModelTarget): string {
    return `${this.apiBase(target)}/embeddings`;
  }

  protected headers(target: ModelTarget): Record<string, string> {
    const apiKey = target.apiBase ? target.apiKey : (this.hosted?.apiKey ?? target.apiKey);
    return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  }

  /** Without its trailing slashes: the OpenAI client joins paths the same way either way. */
  protected apiBase(target: ModelTarget): string {
    const apiBase = target.apiBase ?? this.hosted?.apiBase;
    if (!apiBase) {
      throw new AppError(ErrorCode.InvalidInput, `model_endpoint is required for provider ${target.provider}`);
    }
    return apiBase.replace(/\/+$/, '');
  }

  private post(target: ModelTarget, request: ModelRequest, stream: boolean): UpstreamPost {
    const headers = { ...this.headers(target), ...target.headers };
    return { url: this.url(target), headers, body: this.body(target, request, stream) };
  }
}
