import {
  ChatMessage,
  Completion,
  EmbeddingRequest,
  Embeddings,
  FinishReason,
  finishReasonMapper,
  malformed,
  ModelRequest,
  ToolCall,
  Usage,
} from '@gitlab-ai-gateway/provider-api';

/** OpenAI's wire shapes, as far as the gateway reads them. */
export interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

export interface OpenAiToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

/** Fields shared by chat and text completion bodies; `stop` is left out when empty (http-api.md §6.1 Rec.). */
export function samplingFields(model: string, request: ModelRequest, stream: boolean): Record<string, unknown> {
  return {
    model,
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.maxTokens !== undefined && { max_tokens: request.maxTokens }),
    ...(request.topP !== undefined && { top_p: request.topP }),
    ...(request.stop?.length && { stop: request.stop }),
    stream,
    n: 1,
  };
}

export function toChatBody(model: string, request: ModelRequest, stream: boolean): Record<string, unknown> {
  return {
    ...samplingFields(model, request, stream),
    messages: request.messages.map(toChatMessage),
    ...(request.tools?.length && {
      tools: request.tools.map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.parameters },
      })),
    }),
  };
}

function toChatMessage(message: ChatMessage): Record<string, unknown> {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if (!message.toolCalls?.length) return { role: message.role, content: message.content };
  return {
    role: message.role,
    content: message.content || null,
    tool_calls: message.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    })),
  };
}

export function fromChatResponse(json: unknown): Completion {
  const choice = firstChoice(json);
  const message = choice.message as { content?: string | null; tool_calls?: OpenAiToolCall[] } | undefined;
  if (typeof message !== 'object' || message === null) throw malformed('choices[0].message is missing');
  return {
    text: message.content ?? '',
    toolCalls: (message.tool_calls ?? []).map(toToolCall),
    finishReason: toFinishReason(choice.finish_reason),
    usage: toUsage((json as { usage?: OpenAiUsage }).usage),
  };
}

export function firstChoice(json: unknown): Record<string, unknown> {
  const choices = (json as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices) || typeof choices[0] !== 'object' || choices[0] === null) {
    throw malformed('choices[0] is missing');
  }
  return choices[0] as Record<string, unknown>;
}

function toToolCall(call: OpenAiToolCall): ToolCall {
  return { id: call.id ?? '', name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' };
}

export const toFinishReason = finishReasonMapper(FINISH_REASONS);

export function toUsage(usage: OpenAiUsage | undefined | null): Usage | undefined {
  if (!usage) return undefined;
  return { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 };
}

export function toEmbeddingsBody(model: string, request: EmbeddingRequest): Record<string, unknown> {
  return { model, input: request.inputs, ...(request.dimensions !== undefined && { dimensions: request.dimensions }) };
}

/**
 * `{data: [{embedding, index}], usage}` as vectors in input order. Servers may list them in any order (`index`
 * says which input each is for); a missing, repeated or extra vector, or one that is not numbers, is malformed.
 */
export function fromEmbeddingsResponse(json: unknown, inputCount: number): Embeddings {
  const { data, usage } = (json ?? {}) as { data?: unknown; usage?: OpenAiUsage };
  if (!Array.isArray(data)) throw malformed('the embeddings response has no data list');
  if (data.length !== inputCount) {
    throw malformed(`the embeddings response has ${data.length} vectors for ${inputCount} inputs`);
  }
  const vectors: number[][] = new Array<number[]>(inputCount);
  data.forEach((item: { index?: unknown; embedding?: unknown } | null, position) => {
    const index = item?.index ?? position;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= inputCount || vectors[index]) {
      throw malformed(`embedding index ${JSON.stringify(index)} does not name one of the ${inputCount} inputs once`);
    }
    const embedding = item?.embedding;
    if (!Array.isArray(embedding) || !embedding.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      throw malformed(`embedding ${index} is not a list of numbers`);
    }
    vectors[index] = embedding;
  });
  return {
    vectors,
    ...(typeof usage?.prompt_tokens === 'number' && { usage: { inputTokens: usage.prompt_tokens } }),
  };
}
