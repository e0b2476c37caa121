import { Chunk, SseEvent } from '@gitlab-ai-gateway/provider-api';
import { openAiStreamChunks } from '../openai-compatible/openai-compatible.stream';

export function textStreamChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<Chunk> {
  return openAiStreamChunks(events, (choice) =>
    typeof choice.text === 'string' && choice.text !== '' ? [{ type: 'text', text: choice.text }] : [],
  );
}
