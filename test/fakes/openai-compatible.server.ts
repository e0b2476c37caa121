import {
  EncodedResponse,
  EncodedStream,
  FakeReply,
  ModelFake,
  RecordedRequest,
  startModelFake,
  WireFormat,
} from '@gitlab-ai-gateway/provider-api/testing';

export type {
  FakeReply,
  FakeToolCall,
  ModelFake,
  RecordedRequest,
  ReplyScript,
} from '@gitlab-ai-gateway/provider-api/testing';

/**
 * Stand-in for an OpenAI-compatible model server (vLLM, Ollama, LiteLLM proxy) on loopback:
 * `POST …/chat/completions` and `POST …/completions`, JSON or SSE (`stream: true`, ending `data: [DONE]`).
 *
 * ```ts
 * const fake = await startOpenAiFake();
 * fake.script({ chunks: ['ret', 'urn', ' a + b'] });      // every request from now on
 * fake.script({ status: 401 }, { text: 'second' });        // in order; the last one repeats
 * // … point the gateway at fake.url (`http://127.0.0.1:<port>/v1`) …
 * fake.requests[0].path;  // '/v1/completions'
 * fake.requests[0].body;  // the parsed JSON body
 * await fake.requests[0].closed; // 'aborted' when the client went away mid-reply
 * await fake.close();
 * ```
 * See {@link FakeReply} for everything a reply can do (tool calls, errors, delays, cuts, stalls, raw SSE).
 */
export type OpenAiFake = ModelFake;

/** Starts the fake on an ephemeral loopback port; its `url` ends in `/v1`, as vLLM endpoints do. */
export function startOpenAiFake(): Promise<OpenAiFake> {
  return startModelFake(new OpenAiWireFormat(), '/v1');
}

const CREATED = 1732121183;

/** OpenAI's chat and text completion wire format; Azure OpenAI speaks it too, on other paths. */
export class OpenAiWireFormat implements WireFormat {
  route(request: RecordedRequest): { stream: boolean } | undefined {
    if (request.method !== 'POST' || !/\/(chat\/)?completions$/.test(request.path)) return undefined;
    return { stream: request.body?.stream === true };
  }

  reply(reply: FakeReply, request: RecordedRequest): EncodedResponse {
    const text = reply.text ?? reply.chunks?.join('') ?? (reply.toolCalls ? '' : 'ok');
    const message = { role: 'assistant', content: text, tool_calls: toolCallsOf(reply) };
    const choice = isChat(request)
      ? { index: 0, message, finish_reason: finishOf(reply) }
      : { index: 0, text, logprobs: null, finish_reason: finishOf(reply) };
    const usage = reply.usage ?? { inputTokens: 0, outputTokens: 0 };
    const body = { ...envelope(request), choices: [choice], usage: usageOf(usage) };
    return { status: 200, headers: {}, body: JSON.stringify(body) };
  }

  stream(reply: FakeReply, request: RecordedRequest): EncodedStream {
    const chat = isChat(request);
    const texts = reply.chunks ?? (reply.text !== undefined ? [reply.text] : reply.toolCalls ? [] : ['ok']);
    const deltas = [
      ...(chat ? [{ delta: { role: 'assistant', content: '' } }] : []),
      ...texts.map((text) => (chat ? { delta: { content: text } } : { text })),
      ...(chat ? toolCallDeltas(reply) : []),
    ];
    const head = envelope(request, true);
    const events: object[] = deltas.map((delta) => ({
      ...head,
      choices: [{ index: 0, finish_reason: null, ...delta }],
    }));
    const last = { index: 0, finish_reason: finishOf(reply), ...(chat ? { delta: {} } : { text: '' }) };
    events.push({ ...head, choices: [last] });
    if (reply.usage) events.push({ ...head, choices: [], usage: usageOf(reply.usage) });
    if (reply.streamError) events.push({ error: { message: reply.streamError, type: 'server_error' } });
    return { contentType: 'text/event-stream', events: events.map(sse), terminator: ['data: [DONE]\n\n'] };
  }

  error(reply: FakeReply): EncodedResponse {
    const message = reply.errorMessage ?? `fake error ${reply.status}`;
    const body = reply.errorBody ?? { error: { message, type: 'invalid_request_error', param: null, code: null } };
    const headers: Record<string, string> = reply.retryAfter ? { 'retry-after': reply.retryAfter } : {};
    return { status: reply.status ?? 500, headers, body: JSON.stringify(body) };
  }
}

const isChat = (request: RecordedRequest) => request.path.endsWith('/chat/completions');

const sse = (event: unknown) => `data: ${JSON.stringify(event)}\n\n`;

function envelope(request: RecordedRequest, streaming = false) {
  const chat = isChat(request);
  return {
    id: chat ? 'chatcmpl-fake' : 'cmpl-fake',
    object: chat ? (streaming ? 'chat.completion.chunk' : 'chat.completion') : 'text_completion',
    created: CREATED,
    model: request.body?.model ?? 'fake-model',
  };
}

function finishOf(reply: FakeReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
}

function usageOf(usage: { inputTokens: number; outputTokens: number }) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

function toolCallsOf(reply: FakeReply) {
  return reply.toolCalls?.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
}

/** Each call announced with id and name, then its arguments in two pieces, as vLLM and OpenAI do. */
function toolCallDeltas(reply: FakeReply) {
  return (reply.toolCalls ?? []).flatMap((call, index) => {
    const half = Math.ceil(call.arguments.length / 2);
    return [
      { id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
      { function: { arguments: call.arguments.slice(0, half) } },
      { function: { arguments: call.arguments.slice(half) } },
    ].map((piece) => ({ delta: { tool_calls: [{ index, ...piece }] } }));
  });
}
