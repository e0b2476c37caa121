import {
  AppError,
  Chunk,
  Completion,
  ErrorCode,
  ModelProvider,
  ModelRequest,
  ModelTarget,
  ProviderHttp,
  UpstreamCall,
  UpstreamPost,
} from '@gitlab-ai-gateway/provider-api';
import { fromGenerateResponse, toGenerateBody } from './tgi.mapper';
import { tgiStreamChunks } from './tgi.stream';

/**
 * Hugging Face Text Generation Inference's native API: `POST {endpoint}/generate` and `/generate_stream` (SSE),
 * with `Authorization: Bearer` when the target has a key (Inference Endpoints; a self-hosted TGI needs none).
 * The model is the one the server was started with, so the target's model name is not sent.
 */
export class TgiProvider implements ModelProvider {
  constructor(private readonly http: ProviderHttp) {}

  async generate(target: ModelTarget, request: ModelRequest): Promise<Completion> {
    const json = await this.http.postJson(this.post(target, '/generate', request, false), new UpstreamCall(request));
    return fromGenerateResponse(json);
  }

  async *stream(target: ModelTarget, request: ModelRequest): AsyncGenerator<Chunk> {
    const post = this.post(target, '/generate_stream', request, true);
    yield* tgiStreamChunks(this.http.postSse(post, new UpstreamCall(request)));
  }

  private post(target: ModelTarget, path: string, request: ModelRequest, stream: boolean): UpstreamPost {
    if (!target.apiBase) {
      throw new AppError(ErrorCode.InvalidInput, `model_endpoint is required for provider ${target.provider}`);
    }
    return {
      url: `${target.apiBase.replace(/\/+$/, '')}${path}`,
      headers: { ...(target.apiKey && { authorization: `Bearer ${target.apiKey}` }), ...target.headers },
      body: toGenerateBody(request, stream),
    };
  }
}
