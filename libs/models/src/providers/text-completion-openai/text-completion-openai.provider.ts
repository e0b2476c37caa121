import { Chunk, Completion, ModelRequest, ModelTarget, SseEvent } from '@gitlab-ai-gateway/provider-api';
import { OpenAiCompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import { fromTextResponse, toTextBody } from './text-completion-openai.mapper';
import { textStreamChunks } from './text-completion-openai.stream';

/** OpenAI text completions, `POST {api_base}/completions` (http-api.md §6.1 `text-completion-openai`). */
export class TextCompletionOpenAiProvider extends OpenAiCompatibleProvider {
  protected override readonly path = '/completions';

  protected override body(target: ModelTarget, request: ModelRequest, stream: boolean): Record<string, unknown> {
    return toTextBody(target.model, request, stream);
  }

  protected override toCompletion(json: unknown): Completion {
    return fromTextResponse(json);
  }

  protected override toChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<Chunk> {
    return textStreamChunks(events);
  }
}
