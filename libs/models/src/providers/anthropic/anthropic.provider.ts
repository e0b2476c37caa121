import {
  Chunk,
  Completion,
  ModelProvider,
  ModelRequest,
  ModelTarget,
  ProviderHttp,
  UpstreamCall,
  UpstreamPost,
} from '@gitlab-ai-gateway/provider-api';
import { fromMessagesResponse, toMessagesBody } from './anthropic.mapper';
import { anthropicStreamChunks } from './anthropic.stream';

const ANTHROPIC_API = 'https://api.anthropic.com';
const ANTHROPIC_VERSION = '2023-06-01';

/** Anthropic Messages API, `POST {api_base}/v1/messages` with `x-api-key`. */
export class AnthropicProvider implements ModelProvider {
  constructor(
    private readonly http: ProviderHttp,
    /** The operator's key for Anthropic's API: with it, targets without an endpoint go there. */
    private readonly cloudKey?: string,
  ) {}

  servesWithoutEndpoint(): boolean {
    return Boolean(this.cloudKey);
  }

  async generate(target: ModelTarget, request: ModelRequest): Promise<Completion> {
    const json = await this.http.postJson(this.post(target, request, false), new UpstreamCall(request));
    return fromMessagesResponse(json);
  }

  /** Built when called; the request leaves at the first pull. */
  stream(target: ModelTarget, request: ModelRequest): AsyncGenerator<Chunk> {
    return anthropicStreamChunks(this.http.postSse(this.post(target, request, true), new UpstreamCall(request)));
  }

  private post(target: ModelTarget, request: ModelRequest, stream: boolean): UpstreamPost {
    const apiBase = (target.apiBase ?? ANTHROPIC_API).replace(/\/+$/, '');
    return {
      url: apiBase.endsWith('/v1') ? `${apiBase}/messages` : `${apiBase}/v1/messages`,
      headers: {
        'anthropic-version': ANTHROPIC_VERSION,
        ...(target.apiKey && { 'x-api-key': target.apiKey }),
        ...target.headers,
      },
      body: toMessagesBody(target.model, request, stream),
    };
  }
}
