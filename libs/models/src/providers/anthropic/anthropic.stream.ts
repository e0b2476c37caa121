import { AppError, ErrorCode } from '@app/common';
import {
  Chunk,
  FinishReason,
  malformed,
  messageOf,
  parseUpstreamJson,
  SseEvent,
} from '@gitlab-ai-gateway/provider-api';
import { toFinishReason } from './anthropic.mapper';

interface StreamEvent {
  type?: string;
  index?: number;
  message?: { usage?: { input_tokens?: number } };
  content_block?: { type?: string; id?: string; name?: string; text?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string };
  usage?: { output_tokens?: number };
  error?: { type?: string; message?: string };
}

/**
 * Chunks of a Messages API stream. Tool calls are numbered among themselves, whatever their content block
 * index; usage and the finish reason come at `message_stop`, where reading stops.
 */
export async function* anthropicStreamChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<Chunk> {
  const toolIndexByBlock = new Map<number, number>();
  let finish: FinishReason = 'unknown';
  let inputTokens = 0;
  let outputTokens = 0;
  for await (const { data } of events) {
    const event = parseUpstreamJson(data, 'a stream event') as StreamEvent;
    switch (event?.type) {
      case 'message_start':
        inputTokens = event.message?.usage?.input_tokens ?? 0;
        break;
      case 'content_block_start':
        if (event.content_block?.type === 'tool_use') {
          toolIndexByBlock.set(event.index ?? 0, toolIndexByBlock.size);
          const { id, name } = event.content_block;
          yield { type: 'tool_call', index: toolIndexByBlock.get(event.index ?? 0)!, id, name, argumentsDelta: '' };
        } else if (event.content_block?.text) {
          yield { type: 'text', text: event.content_block.text };
        }
        break;
      case 'content_block_delta':
        if (event.delta?.type === 'text_delta' && event.delta.text) yield { type: 'text', text: event.delta.text };
        if (event.delta?.type === 'input_json_delta' && toolIndexByBlock.has(event.index ?? 0)) {
          const index = toolIndexByBlock.get(event.index ?? 0)!;
          yield { type: 'tool_call', index, argumentsDelta: event.delta.partial_json ?? '' };
        }
        break;
      case 'message_delta':
        if (event.delta?.stop_reason) finish = toFinishReason(event.delta.stop_reason);
        outputTokens = event.usage?.output_tokens ?? outputTokens;
        break;
      case 'message_stop':
        yield { type: 'usage', usage: { inputTokens, outputTokens } };
        yield { type: 'finish', reason: finish };
        return;
      case 'error':
        throw streamError(event.error);
    }
  }
  throw malformed('the stream ended before message_stop');
}

function streamError(error: StreamEvent['error']): AppError {
  const code = error?.type === 'rate_limit_error' ? ErrorCode.ModelRateLimited : ErrorCode.ModelFailed;
  return new AppError(code, `Model server failed mid-stream: ${messageOf(error) ?? 'no message'}`);
}
