import {
  EncodedResponse,
  EncodedStream,
  FakeReply,
  FakeToolCall,
  ModelFake,
  RecordedRequest,
  startModelFake,
  WireFormat,
} from '@gitlab-ai-gateway/provider-api/testing';

/**
 * Stand-in for the Anthropic Messages API on loopback: `POST /v1/messages`, JSON or SSE with Anthropic's event
 * types (`message_start`, `content_block_*`, `message_delta`, `message_stop`, `ping`, `error`). `url` is the
 * origin, like `https://api.anthropic.com`. Scripted with {@link FakeReply}, as the OpenAI-compatible fake.
 */
export function startAnthropicFake(): Promise<ModelFake> {
  return startModelFake(new AnthropicWireFormat());
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

class AnthropicWireFormat implements WireFormat {
  route(request: RecordedRequest): { stream: boolean } | undefined {
    if (request.method !== 'POST' || request.path !== '/v1/messages') return undefined;
    return { stream: request.body?.stream === true };
  }

  reply(reply: FakeReply, request: RecordedRequest): EncodedResponse {
    const text = textOf(reply);
    const body = {
      ...message(request),
      content: [...(text ? [{ type: 'text', text }] : []), ...(reply.toolCalls ?? []).map(toolUse)],
      stop_reason: stopReason(reply),
      usage: { input_tokens: reply.usage?.inputTokens ?? 0, output_tokens: reply.usage?.outputTokens ?? 0 },
    };
    return { status: 200, headers: {}, body: JSON.stringify(body) };
  }

  stream(reply: FakeReply, request: RecordedRequest): EncodedStream {
    const texts = reply.chunks ?? [textOf(reply)];
    const tools = reply.toolCalls ?? [];
    const events = [
      event('message_start', {
        message: {
          ...message(request),
          content: [],
          stop_reason: null,
          usage: { input_tokens: reply.usage?.inputTokens ?? 0, output_tokens: 1 },
        },
      }),
      event('ping', {}),
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ...texts.map((text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
      event('content_block_stop', { index: 0 }),
      ...tools.flatMap((call, position) => toolBlockEvents(call, position + 1)),
      event('message_delta', {
        delta: { stop_reason: stopReason(reply), stop_sequence: null },
        usage: { output_tokens: reply.usage?.outputTokens ?? 0 },
      }),
      ...(reply.streamError
        ? [event('error', { error: { type: 'overloaded_error', message: reply.streamError } })]
        : []),
    ];
    return { contentType: 'text/event-stream', events, terminator: [event('message_stop', {})] };
  }

  error(reply: FakeReply): EncodedResponse {
    const status = reply.status ?? 500;
    const message = reply.errorMessage ?? `fake error ${status}`;
    const body = reply.errorBody ?? { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } };
    return { status, headers: reply.retryAfter ? { 'retry-after': reply.retryAfter } : {}, body: JSON.stringify(body) };
  }
}

function textOf(reply: FakeReply): string {
  return reply.text ?? reply.chunks?.join('') ?? (reply.toolCalls ? '' : 'ok');
}

function message(request: RecordedRequest) {
  return { id: 'msg_fake', type: 'message', role: 'assistant', model: request.body?.model ?? 'claude-fake' };
}

function stopReason(reply: FakeReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_use' : 'end_turn');
}

function toolUse(call: FakeToolCall) {
  return { type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) };
}

/** A tool_use block: announced with empty input, then its JSON in two `input_json_delta` pieces. */
function toolBlockEvents(call: FakeToolCall, index: number): string[] {
  const half = Math.ceil(call.arguments.length / 2);
  return [
    event('content_block_start', {
      index,
      content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
    }),
    ...[call.arguments.slice(0, half), call.arguments.slice(half)].map((partial_json) =>
      event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }),
    ),
    event('content_block_stop', { index }),
  ];
}

function event(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}
