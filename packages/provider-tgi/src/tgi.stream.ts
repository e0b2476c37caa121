import {
  AppError,
  Chunk,
  ErrorCode,
  malformed,
  messageOf,
  parseUpstreamJson,
  SseEvent,
} from '@gitlab-ai-gateway/provider-api';
import { TgiDetails, toFinishReason, toUsage } from './tgi.mapper';

interface StreamEvent {
  token?: { text?: string; special?: boolean };
  generated_text?: string | null;
  details?: TgiDetails | null;
  error?: unknown;
  error_type?: string;
}

/**
 * Chunks of `/generate_stream`: one token an event (special tokens such as `</s>` left out), and a last event
 * with `generated_text` and `details`, where reading stops. TGI sends no terminator of its own: a stream that ends
 * before that last event was cut short. A failure after the status line arrives as an `{error, error_type}` event.
 */
export async function* tgiStreamChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<Chunk> {
  for await (const { data } of events) {
    const event = parseUpstreamJson(data, 'a stream event') as StreamEvent | null;
    if (typeof event !== 'object' || event === null) throw malformed('a stream event is not a JSON object');
    if (event.error !== undefined) {
      const code = event.error_type === 'overloaded' ? ErrorCode.ModelRateLimited : ErrorCode.ModelFailed;
      throw new AppError(code, `Model server failed mid-stream: ${messageOf(event.error) ?? 'no message'}`);
    }
    if (event.token?.text && !event.token.special) yield { type: 'text', text: event.token.text };
    if (event.details) {
      const usage = toUsage(event.details, event.details.input_length);
      if (usage) yield { type: 'usage', usage };
      yield { type: 'finish', reason: toFinishReason(event.details.finish_reason) };
      return;
    }
  }
  throw malformed('the stream ended before the event with details');
}
