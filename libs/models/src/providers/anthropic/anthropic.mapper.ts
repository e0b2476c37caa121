import {
  ChatMessage,
  Completion,
  FinishReason,
  finishReasonMapper,
  malformed,
  ModelRequest,
  ToolCall,
} from '@gitlab-ai-gateway/provider-api';
import { mergeTurns, parseToolArguments } from '../shared-mapping';

/** Anthropic requires `max_tokens`; this is used when the request sets none. */
const DEFAULT_MAX_TOKENS = 4096;

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

type ContentBlock = Record<string, unknown>;

interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** Messages API body: system text as a top-level field, tool calls and results as content blocks. */
export function toMessagesBody(model: string, request: ModelRequest, stream: boolean): Record<string, unknown> {
  const system = request.messages.filter((message) => message.role === 'system').map((message) => message.content);
  return {
    model,
    ...(system.length > 0 && { system: system.join('\n\n') }),
    messages: mergeTurns(request.messages.filter((message) => message.role !== 'system').map(toAnthropicMessage)),
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.topP !== undefined && { top_p: request.topP }),
    ...(request.stop?.length && { stop_sequences: request.stop }),
    stream,
    ...(request.tools?.length && {
      tools: request.tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        input_schema: tool.parameters,
      })),
    }),
  };
}

function toAnthropicMessage(message: ChatMessage): AnthropicMessage {
  if (message.role === 'tool') {
    const result = { type: 'tool_result', tool_use_id: message.toolCallId, content: message.content };
    return { role: 'user', content: [result] };
  }
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  if (!message.toolCalls?.length) return { role, content: [{ type: 'text', text: message.content }] };
  const toolUses = message.toolCalls.map((call) => ({
    type: 'tool_use',
    id: call.id,
    name: call.name,
    input: parseToolArguments(call.arguments),
  }));
  return { role, content: [...(message.content ? [{ type: 'text', text: message.content }] : []), ...toolUses] };
}

export function fromMessagesResponse(json: unknown): Completion {
  const { content, stop_reason, usage } = (json ?? {}) as {
    content?: ContentBlock[];
    stop_reason?: string;
    usage?: { input_tokens?: number; output_tokens?: number };
  };
  if (!Array.isArray(content)) throw malformed('content is missing');
  const text = content.filter((block) => block.type === 'text').map((block) => String(block.text ?? ''));
  const toolCalls: ToolCall[] = content
    .filter((block) => block.type === 'tool_use')
    .map((block) => ({ id: String(block.id), name: String(block.name), arguments: JSON.stringify(block.input ?? {}) }));
  return {
    text: text.join(''),
    toolCalls,
    finishReason: toFinishReason(stop_reason),
    ...(usage && { usage: { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0 } }),
  };
}

export const toFinishReason = finishReasonMapper(FINISH_REASONS);
