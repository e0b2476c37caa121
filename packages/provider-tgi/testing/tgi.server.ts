import {
  EncodedResponse,
  EncodedStream,
  FakeReply,
  ModelFake,
  RecordedRequest,
  startModelFake,
  WireFormat,
} from '@gitlab-ai-gateway/provider-api/testing';

/**
 * Stand-in for a Text Generation Inference server on loopback, in its native wire format: `POST /generate`
 * (`{generated_text, details}`; `details.prefill` lists the prompt's tokens when `decoder_input_details` is asked
 * for) and `POST /generate_stream` (SSE, one `{index, token, generated_text: null, details: null}` event a token,
 * then the end-of-sequence token with `generated_text` and `details` — TGI sends no other terminator). Errors are
 * `{error, error_type}`, before the stream as a status, inside it as an event.
 *
 * ```ts
 * const tgi = await startTgiFake();
 * tgi.script({ chunks: ['def', ' add'], usage: { inputTokens: 7, outputTokens: 2 } });
 * // … a target { provider: 'tgi', apiBase: tgi.url } …
 * ```
 */
export function startTgiFake(): Promise<ModelFake> {
  return startModelFake(new TgiWireFormat());
}

export class TgiWireFormat implements WireFormat {
  route(request: RecordedRequest): { stream: boolean } | undefined {
    if (request.method !== 'POST') return undefined;
    if (request.path === '/generate') return { stream: false };
    if (request.path === '/generate_stream') return { stream: true };
    return undefined;
  }

  reply(reply: FakeReply, request: RecordedRequest): EncodedResponse {
    const texts = textsOf(reply);
    const inputTokens = reply.usage?.inputTokens ?? 0;
    const details = {
      finish_reason: reply.finishReason ?? 'eos_token',
      generated_tokens: reply.usage?.outputTokens ?? texts.length,
      seed: null,
      prefill: request.body?.parameters?.decoder_input_details
        ? Array.from({ length: inputTokens }, (_, id) => ({ id, text: `t${id}`, logprob: null }))
        : [],
      tokens: texts.map(token),
    };
    return { status: 200, headers: {}, body: JSON.stringify({ generated_text: texts.join(''), details }) };
  }

  stream(reply: FakeReply): EncodedStream {
    const texts = textsOf(reply);
    const events = texts.map((text, index) => sse({ index: index + 1, token: token(text, index), ...NOT_YET }));
    if (reply.streamError) events.push(sse({ error: reply.streamError, error_type: 'generation' }));
    const last = {
      index: texts.length + 1,
      token: { id: 2, text: '</s>', logprob: -0.01, special: true },
      generated_text: texts.join(''),
      details: {
        finish_reason: reply.finishReason ?? 'eos_token',
        generated_tokens: reply.usage?.outputTokens ?? texts.length + 1,
        seed: null,
        input_length: reply.usage?.inputTokens ?? 0,
      },
    };
    return { contentType: 'text/event-stream', events, terminator: [sse(last)] };
  }

  error(reply: FakeReply): EncodedResponse {
    const status = reply.status ?? 500;
    const body = reply.errorBody ?? {
      error: reply.errorMessage ?? `fake error ${status}`,
      error_type: status === 429 ? 'overloaded' : status === 422 ? 'validation' : 'generation',
    };
    const headers: Record<string, string> = reply.retryAfter ? { 'retry-after': reply.retryAfter } : {};
    return { status, headers, body: JSON.stringify(body) };
  }
}

const NOT_YET = { generated_text: null, details: null };

function textsOf(reply: FakeReply): string[] {
  return reply.chunks ?? [reply.text ?? 'ok'];
}

function token(text: string, id: number) {
  return { id: 1000 + id, text, logprob: -0.5, special: false };
}

/** TGI writes `data:` without a space. */
const sse = (event: unknown) => `data:${JSON.stringify(event)}\n\n`;
