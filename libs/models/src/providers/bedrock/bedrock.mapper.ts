import type {
  ContentBlock,
  ConverseCommandInput,
  ConverseCommandOutput,
  Message,
} from '@aws-sdk/client-bedrock-runtime';
import { AppError, ErrorCode } from '@app/common';
import {
  ChatMessage,
  Completion,
  errorForStatus,
  FinishReason,
  finishReasonMapper,
  malformed,
  ModelRequest,
  ResponseTooLarge,
  UpstreamCall,
} from '@gitlab-ai-gateway/provider-api';
import { mergeTurns, parseToolArguments } from '../shared-mapping';

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  content_filtered: 'content_filter',
  guardrail_intervened: 'content_filter',
};

/**
 * Bedrock's exceptions by name, for those raised inside an event stream, which carry no HTTP status. The model's
 * own failures come as 424 from AWS; they are failures, not rejections of the request, so they count as 500.
 */
const STATUS_BY_EXCEPTION: Record<string, number> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelErrorException: 500,
  ModelStreamErrorException: 500,
  ThrottlingException: 429,
  ServiceQuotaExceededException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

/** Converse body: system text apart, tool calls and results as content blocks, turns alternating. */
export function toConverseInput(model: string, request: ModelRequest): ConverseCommandInput {
  const system = request.messages.filter((message) => message.role === 'system');
  return {
    modelId: model,
    ...(system.length > 0 && { system: system.map((message) => ({ text: message.content })) }),
    messages: mergeTurns(request.messages.filter((message) => message.role !== 'system').map(toBedrockMessage)),
    inferenceConfig: {
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      topP: request.topP,
      ...(request.stop?.length && { stopSequences: request.stop }),
    },
    ...(request.tools?.length && {
      toolConfig: {
        tools: request.tools.map((tool) => ({
          toolSpec: { name: tool.name, description: tool.description, inputSchema: { json: tool.parameters as never } },
        })),
      },
    }),
  };
}

function toBedrockMessage(message: ChatMessage): Message {
  if (message.role === 'tool') {
    const toolResult = { toolUseId: message.toolCallId, content: [{ text: message.content }] };
    return { role: 'user', content: [{ toolResult }] };
  }
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  const toolUses: ContentBlock[] = (message.toolCalls ?? []).map((call) => ({
    toolUse: { toolUseId: call.id, name: call.name, input: parseToolArguments(call.arguments) as never },
  }));
  // Bedrock rejects blank text blocks, which an assistant turn that only calls tools would otherwise carry.
  const text: ContentBlock[] = message.content || toolUses.length === 0 ? [{ text: message.content }] : [];
  return { role, content: [...text, ...toolUses] };
}

export function fromConverseOutput(output: ConverseCommandOutput): Completion {
  const content = output.output?.message?.content;
  if (!content) throw malformed('output.message is missing');
  return {
    text: content.map((block) => block.text ?? '').join(''),
    toolCalls: content.flatMap(({ toolUse }) =>
      toolUse
        ? [{ id: toolUse.toolUseId ?? '', name: toolUse.name ?? '', arguments: JSON.stringify(toolUse.input ?? {}) }]
        : [],
    ),
    finishReason: toFinishReason(output.stopReason),
    ...(output.usage && {
      usage: { inputTokens: output.usage.inputTokens ?? 0, outputTokens: output.usage.outputTokens ?? 0 },
    }),
  };
}

export const toFinishReason = finishReasonMapper(FINISH_REASONS);

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** An AWS SDK failure in the gateway's terms: service exceptions by status, the rest as transport failures. */
export function fromSdkError(error: unknown, call: UpstreamCall): AppError {
  // The SDK passes the body's failures on, with their message extended and the status of the answer attached.
  if (call.cancelled || error instanceof AppError || error instanceof ResponseTooLarge) {
    return call.failure(error, 'response');
  }
  const { name, message, $metadata } = error as SdkError;
  if (name === 'ModelTimeoutException') {
    return new AppError(ErrorCode.ModelTimeout, `Model server timed out: ${message}`, { upstreamStatus: 408 });
  }
  const known = name !== undefined && Object.hasOwn(STATUS_BY_EXCEPTION, name);
  const status = known ? STATUS_BY_EXCEPTION[name] : $metadata?.httpStatusCode;
  if (status && status >= 400) return errorForStatus(status, `${name}: ${message}`);
  return call.failure(error, 'request');
}
