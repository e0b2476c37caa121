import { Chunk } from '../../model-types';
import { SseEvent } from '../../transport/sse-parser';
import { openAiStreamChunks } from '../openai-compatible/openai-compatible.stream';

export function textStreamChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<Chunk> {
  return openAiStreamChunks(events, (choice) =>
    typeof choice.text === 'string' && choice.text !== '' ? [{ type: 'text', text: choice.text }] : [],
  );
}
