import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@app/common';
import { ChatMessage, Chunk, StreamEventTooLarge, ToolCall, ToolDefinition, Usage } from '@app/models';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { logEntry, UiChatLogEntry } from '../checkpoint/workflow-state';
import { SessionModel } from './session-model';

/** Parallel tool calls one answer may hold; the index comes from the model server's JSON. */
const MAX_TOOL_CALLS = 128;

export interface TurnRequest {
  agent: string;
  componentName?: string;
  messages: ChatMessage[];
  tools: ToolDefinition[];
  /** Publish the text as it arrives (chat always streams, §4.6). */
  streamText: boolean;
  signal: AbortSignal;
}

export interface TurnResult {
  message: ChatMessage & { toolCalls: ToolCall[] };
  usage?: Usage;
}

/** One model call: text goes into an `agent` log entry as it streams, tool-call deltas are assembled. */
export async function runModelTurn(
  model: SessionModel,
  checkpoints: CheckpointStream,
  request: TurnRequest,
): Promise<TurnResult> {
  let text = '';
  let usage: Usage | undefined;
  let entry: UiChatLogEntry | undefined;
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  const signal = AbortSignal.any([request.signal, checkpoints.failed]);
  const stream = outgoingSized(model.stream({ messages: request.messages, tools: request.tools, signal }));
  for await (const chunk of stream) {
    if (chunk.type === 'text') {
      text += chunk.text;
      if (!request.streamText || chunk.text === '') continue;
      entry ??= pushAgentEntry(checkpoints, request);
      entry.content = text;
      checkpoints.publishThrottled();
    } else if (chunk.type === 'tool_call') {
      const call = (calls[toolCallIndex(chunk.index)] ??= { id: '', name: '', arguments: '' });
      if (chunk.id) call.id = chunk.id;
      if (chunk.name) call.name += chunk.name;
      call.arguments += chunk.argumentsDelta;
    } else if (chunk.type === 'usage') {
      usage = chunk.usage;
    }
  }
  // libs/models ends an aborted stream quietly; a stopped run, or one whose streamed checkpoint could not
  // be sent, must not take it for the model's answer.
  signal.throwIfAborted();
  if (text !== '') {
    entry ??= pushAgentEntry(checkpoints, request);
    entry.content = text;
  }
  const toolCalls = calls.filter(Boolean).map((call) => ({ ...call, id: call.id || `call_${randomUUID()}` }));
  return { message: { role: 'assistant', content: text, toolCalls }, usage };
}

/**
 * A streamed event over the model client's 4 MiB bound (a tool call's arguments in one SSE line) could never be
 * sent to the client either: the call ends as an action over 4 MiB does (agent-platform.md §4.2).
 */
async function* outgoingSized(chunks: AsyncIterable<Chunk>): AsyncGenerator<Chunk> {
  try {
    yield* chunks;
  } catch (error) {
    if (error instanceof StreamEventTooLarge) {
      throw new AppError(ErrorCode.ResourceExhausted, 'Outgoing message too large.', { cause: error });
    }
    throw error;
  }
}

/** Typed a number, but taken from upstream JSON unchecked: `"__proto__"` or 1e9 must not reach `calls[…]`. */
function toolCallIndex(index: number): number {
  if (Number.isInteger(index) && index >= 0 && index < MAX_TOOL_CALLS) return index;
  throw new AppError(
    ErrorCode.ModelMalformed,
    `Model server sent a malformed response: a tool call index must be an integer from 0 to ${MAX_TOOL_CALLS - 1}`,
  );
}

function pushAgentEntry(checkpoints: CheckpointStream, request: TurnRequest): UiChatLogEntry {
  const entry = logEntry('agent', '', { message_id: randomUUID(), component_name: request.componentName });
  checkpoints.state.ui_chat_log.push(entry);
  return entry;
}
