import { randomUUID } from 'node:crypto';
import { ChatMessage, ToolCall, ToolDefinition, Usage } from '@app/models';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { logEntry, UiChatLogEntry } from '../checkpoint/workflow-state';
import { SessionModel } from './session-model';

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
export async function runModelTurn(model: SessionModel, checkpoints: CheckpointStream, request: TurnRequest): Promise<TurnResult> {
  let text = '';
  let usage: Usage | undefined;
  let entry: UiChatLogEntry | undefined;
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  const stream = model.stream({ messages: request.messages, tools: request.tools, signal: request.signal });
  for await (const chunk of stream) {
    if (chunk.type === 'text') {
      text += chunk.text;
      if (!request.streamText || chunk.text === '') continue;
      entry ??= pushAgentEntry(checkpoints, request);
      entry.content = text;
      checkpoints.publishThrottled();
    } else if (chunk.type === 'tool_call') {
      const call = (calls[chunk.index] ??= { id: '', name: '', arguments: '' });
      if (chunk.id) call.id = chunk.id;
      if (chunk.name) call.name += chunk.name;
      call.arguments += chunk.argumentsDelta;
    } else if (chunk.type === 'usage') {
      usage = chunk.usage;
    }
  }
  // libs/models ends an aborted stream quietly; a stopped run must not take it for the model's answer.
  request.signal.throwIfAborted();
  if (text !== '') {
    entry ??= pushAgentEntry(checkpoints, request);
    entry.content = text;
  }
  const toolCalls = calls.filter(Boolean).map((call) => ({ ...call, id: call.id || `call_${randomUUID()}` }));
  return { message: { role: 'assistant', content: text, toolCalls }, usage };
}

function pushAgentEntry(checkpoints: CheckpointStream, request: TurnRequest): UiChatLogEntry {
  const entry = logEntry('agent', '', { message_id: randomUUID(), component_name: request.componentName });
  checkpoints.state.ui_chat_log.push(entry);
  return entry;
}
