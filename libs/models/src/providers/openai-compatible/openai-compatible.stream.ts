import { AppError, ErrorCode } from '@app/common';
import {
  Chunk,
  FinishReason,
  malformed,
  messageOf,
  parseUpstreamJson,
  SseEvent,
  Usage,
} from '@gitlab-ai-gateway/provider-api';
import { OpenAiToolCall, OpenAiUsage, toFinishReason, toUsage } from './openai-compatible.mapper';

type Choice = Record<string, unknown>;

interface StreamPayload {
  error?: unknown;
  choices?: Choice[];
  usage?: OpenAiUsage;
}

/**
 * Chunks of an OpenAI-style SSE stream: deltas as they come, then usage (if sent) and the finish reason at
 * `data: [DONE]`, where reading stops: a server that keeps the response open after it cannot hold the caller.
 */
export async function* openAiStreamChunks(
  events: AsyncIterable<SseEvent>,
  readChoice: (choice: Choice) => Chunk[],
): AsyncGenerator<Chunk> {
  let finish: FinishReason = 'unknown';
  let usage: Usage | undefined;
  for await (const event of events) {
    if (event.data === '[DONE]') {
      if (usage) yield { type: 'usage', usage };
      yield { type: 'finish', reason: finish };
      return;
    }
    const payload = parseUpstreamJson(event.data, 'a stream event');
    if (typeof payload !== 'object' || payload === null) throw malformed('a stream event is not a JSON object');
    const { error, choices, usage: wireUsage } = payload as StreamPayload;
    if (error !== undefined) {
      throw new AppError(ErrorCode.ModelFailed, `Model server failed mid-stream: ${messageOf(error) ?? 'no message'}`);
    }
    usage = toUsage(wireUsage) ?? usage;
    const choice = Array.isArray(choices) ? choices[0] : undefined;
    if (!choice) continue;
    if (choice.finish_reason) finish = toFinishReason(choice.finish_reason);
    yield* readChoice(choice);
  }
  throw malformed('the stream ended before data: [DONE]');
}

export function chatStreamChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<Chunk> {
  return openAiStreamChunks(events, readChatDelta);
}

function readChatDelta(choice: Choice): Chunk[] {
  const delta = choice.delta as { content?: string | null; tool_calls?: OpenAiToolCall[] } | undefined;
  const chunks: Chunk[] = delta?.content ? [{ type: 'text', text: delta.content }] : [];
  for (const call of delta?.tool_calls ?? []) {
    chunks.push({
      type: 'tool_call',
      index: call.index ?? 0,
      ...(call.id && { id: call.id }),
      ...(call.function?.name && { name: call.function.name }),
      argumentsDelta: call.function?.arguments ?? '',
    });
  }
  return chunks;
}
