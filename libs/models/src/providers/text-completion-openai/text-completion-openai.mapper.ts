import { AppError, ErrorCode } from '@app/common';
import { Completion, malformed, ModelRequest } from '@gitlab-ai-gateway/provider-api';
import {
  firstChoice,
  OpenAiUsage,
  samplingFields,
  toFinishReason,
  toUsage,
} from '../openai-compatible/openai-compatible.mapper';

/**
 * `{model, prompt, …}` with the last user message as one string: it carries the fill-in-the-middle layout
 * (http-api.md §6.1 Rec., instead of the original's array of all message texts).
 */
export function toTextBody(model: string, request: ModelRequest, stream: boolean): Record<string, unknown> {
  if (request.tools?.length) {
    throw new AppError(ErrorCode.InvalidInput, 'tools are not supported by text completion models');
  }
  const prompt = request.messages.findLast((message) => message.role === 'user')?.content;
  if (prompt === undefined) {
    throw new AppError(ErrorCode.InvalidInput, 'messages: a text completion needs a user message');
  }
  return { ...samplingFields(model, request, stream), prompt };
}

export function fromTextResponse(json: unknown): Completion {
  const choice = firstChoice(json);
  if (typeof choice.text !== 'string') throw malformed('choices[0].text is missing');
  return {
    text: choice.text,
    toolCalls: [],
    finishReason: toFinishReason(choice.finish_reason),
    usage: toUsage((json as { usage?: OpenAiUsage }).usage),
  };
}
