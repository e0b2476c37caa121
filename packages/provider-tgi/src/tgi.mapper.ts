import {
  AppError,
  Completion,
  ErrorCode,
  finishReasonMapper,
  malformed,
  ModelRequest,
  Usage,
} from '@gitlab-ai-gateway/provider-api';

/** TGI's `details`, as far as the provider reads them. */
export interface TgiDetails {
  finish_reason?: string;
  generated_tokens?: number;
  /** `/generate` with `decoder_input_details`: one entry per prompt token. */
  prefill?: unknown[];
  /** `/generate_stream`'s last event: the prompt's token count. */
  input_length?: number;
}

/** TGI's finish reasons: the model's end-of-sequence token, a stop sequence, or `max_new_tokens`. */
export const toFinishReason = finishReasonMapper({ eos_token: 'stop', stop_sequence: 'stop', length: 'length' });

/**
 * `{inputs, parameters}` for `/generate` and `/generate_stream`. TGI's native API takes one prompt string and
 * applies no chat template: the last user message is the prompt, as for OpenAI text completions (it carries the
 * fill-in-the-middle layout of code suggestions). TGI refuses a temperature of 0 and a `top_p` of 1, so those
 * ask for greedy decoding and no nucleus sampling instead.
 */
export function toGenerateBody(request: ModelRequest, stream: boolean): Record<string, unknown> {
  if (request.tools?.length) {
    throw new AppError(ErrorCode.InvalidInput, "tools are not supported by Text Generation Inference's native API");
  }
  const inputs = request.messages.findLast((message) => message.role === 'user')?.content;
  if (inputs === undefined) {
    throw new AppError(ErrorCode.InvalidInput, 'messages: a Text Generation Inference prompt needs a user message');
  }
  const { temperature, topP, maxTokens, stop } = request;
  const sampling = temperature !== undefined && temperature > 0;
  return {
    inputs,
    parameters: {
      ...(maxTokens !== undefined && { max_new_tokens: maxTokens }),
      ...(sampling && { temperature }),
      do_sample: sampling,
      ...(topP !== undefined && topP > 0 && topP < 1 && { top_p: topP }),
      ...(stop?.length && { stop }),
      return_full_text: false,
      details: true,
      // Streams refuse it; the last stream event carries `input_length` instead.
      ...(!stream && { decoder_input_details: true }),
    },
  };
}

/** `{generated_text, details}` of `/generate`. */
export function fromGenerateResponse(json: unknown): Completion {
  const { generated_text, details } = (json ?? {}) as { generated_text?: unknown; details?: TgiDetails };
  if (typeof generated_text !== 'string') throw malformed('generated_text is missing');
  return {
    text: generated_text,
    toolCalls: [],
    finishReason: toFinishReason(details?.finish_reason),
    usage: toUsage(details, details?.prefill?.length),
  };
}

export function toUsage(details: TgiDetails | undefined, inputTokens: number | undefined): Usage | undefined {
  if (typeof details?.generated_tokens !== 'number') return undefined;
  return { inputTokens: inputTokens ?? 0, outputTokens: details.generated_tokens };
}
