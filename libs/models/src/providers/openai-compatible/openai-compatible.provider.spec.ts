import { AppError, ErrorCode, OutboundHttp } from '@app/common';
import { OpenAiFake, startOpenAiFake } from '@test/fakes/openai-compatible.server';
import { ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { UpstreamHttp } from '../../transport/upstream-http';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';
import { collect, testOutbound } from '@test/helpers/provider-kit';

const REQUEST: ModelRequest = {
  messages: [
    { role: 'system', content: 'You complete code.' },
    { role: 'user', content: 'def add(a, b):' },
  ],
  temperature: 0.32,
  maxTokens: 64,
  stop: ['[INST]'],
};

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

const VLLM_NOT_FOUND = { object: 'error', message: 'The model `x` does not exist.', type: 'NotFoundError', code: 404 };

describe(OpenAiCompatibleProvider.name, () => {
  let fake: OpenAiFake;
  let outbound: OutboundHttp;
  let provider: OpenAiCompatibleProvider;
  let target: ModelTarget;

  beforeAll(async () => {
    fake = await startOpenAiFake();
    outbound = testOutbound();
    provider = new OpenAiCompatibleProvider(new UpstreamHttp(outbound));
    target = { provider: 'custom_openai', model: 'mistralai/Codestral-22B', apiBase: fake.url, apiKey: 'k' };
  });

  afterAll(async () => {
    await outbound.onApplicationShutdown();
    await fake.close();
  });

  it('posts the chat body of http-api.md §6.1 to {api_base}/chat/completions', async () => {
    fake.script({ text: 'return a + b', usage: { inputTokens: 17, outputTokens: 5 }, finishReason: 'length' });
    const completion = await provider.generate(target, { ...REQUEST, topP: 0.95 });
    expect(completion).toEqual({
      text: 'return a + b',
      toolCalls: [],
      finishReason: 'length',
      usage: { inputTokens: 17, outputTokens: 5 },
    });
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer k');
    expect(request.body).toEqual({
      model: 'mistralai/Codestral-22B',
      messages: [
        { role: 'system', content: 'You complete code.' },
        { role: 'user', content: 'def add(a, b):' },
      ],
      temperature: 0.32,
      max_tokens: 64,
      top_p: 0.95,
      stop: ['[INST]'],
      stream: false,
      n: 1,
    });
  });

  it('joins the path the same way when the endpoint keeps its trailing slash', async () => {
    await provider.generate({ ...target, apiBase: `${fake.url}/` }, REQUEST);
    expect(fake.requests.at(-1)!.path).toBe('/v1/chat/completions');
  });

  it('omits stop when the list is empty', async () => {
    await provider.generate(target, { ...REQUEST, stop: [] });
    expect(fake.requests.at(-1)!.body).not.toHaveProperty('stop');
  });

  it('streams text deltas, then usage and the finish reason', async () => {
    fake.script({ chunks: ['ret', 'urn', ' a + b'], usage: { inputTokens: 3, outputTokens: 4 } });
    expect(await collect(provider.stream(target, REQUEST))).toEqual([
      { type: 'text', text: 'ret' },
      { type: 'text', text: 'urn' },
      { type: 'text', text: ' a + b' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(fake.requests.at(-1)!.body.stream).toBe(true);
  });

  it('sends tools, earlier tool calls and tool results the OpenAI way', async () => {
    await provider.generate(target, {
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', content: 'Sunny', toolCallId: 'call_1' },
      ],
      tools: [WEATHER_TOOL],
    });
    const body = fake.requests.at(-1)!.body;
    expect(body.tools).toEqual([{ type: 'function', function: WEATHER_TOOL }]);
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
    ]);
  });

  it('reads tool calls from a whole response', async () => {
    fake.script({ toolCalls: [{ id: 'call_7', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const completion = await provider.generate(target, { ...REQUEST, tools: [WEATHER_TOOL] });
    expect(completion.toolCalls).toEqual([{ id: 'call_7', name: 'get_weather', arguments: '{"city":"Oslo"}' }]);
    expect(completion.finishReason).toBe('tool_calls');
  });

  it('streams tool calls as indexed argument deltas', async () => {
    fake.script({
      toolCalls: [
        { id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { id: 'call_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
      ],
    });
    const chunks = await collect(provider.stream(target, { ...REQUEST, tools: [WEATHER_TOOL] }));
    expect(chunks.filter((chunk) => chunk.type === 'tool_call')).toEqual([
      { type: 'tool_call', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool_call', index: 0, argumentsDelta: '"Oslo"}' },
      { type: 'tool_call', index: 1, id: 'call_2', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool_call', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool_call', index: 1, argumentsDelta: '"Rome"}' },
    ]);
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it.each([
    [
      { status: 401, errorMessage: 'Invalid API key' },
      ErrorCode.ModelRejected,
      401,
      'invalid_request_error: Invalid API key',
    ],
    [
      { status: 404, errorBody: VLLM_NOT_FOUND },
      ErrorCode.ModelRejected,
      404,
      'NotFoundError: The model `x` does not exist.',
    ],
    [{ status: 500, errorBody: 'upstream exploded' }, ErrorCode.ModelFailed, 500, 'upstream exploded'],
    [{ status: 503 }, ErrorCode.ModelFailed, 503, 'fake error 503'],
  ])('maps an upstream %j to %s', async (reply, code, status, message) => {
    fake.script(reply);
    const failure = await provider.generate(target, REQUEST).catch((error: AppError) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code, upstreamStatus: status });
    expect((failure as AppError).message).toContain(message);
  });

  it('maps 429 to rate limited with the retry-after seconds', async () => {
    fake.script({ status: 429, retryAfter: '7', errorMessage: 'slow down' });
    await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.ModelRateLimited,
      upstreamStatus: 429,
      retryAfterS: 7,
    });
  });

  it('fails the same way when a stream is refused before it starts', async () => {
    fake.script({ status: 429, retryAfter: '2' });
    await expect(collect(provider.stream(target, REQUEST))).rejects.toMatchObject({
      code: ErrorCode.ModelRateLimited,
      retryAfterS: 2,
    });
  });

  it('rejects a 200 body that is not JSON, or has no choices, as malformed', async () => {
    fake.script({ rawBody: ['<html>gateway</html>'] }, { errorBody: {}, rawBody: ['{"id":"x"}'] });
    await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({ code: ErrorCode.ModelMalformed });
    await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({ code: ErrorCode.ModelMalformed });
  });

  it('needs an endpoint', async () => {
    await expect(provider.generate({ ...target, apiBase: undefined }, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: 'model_endpoint is required for provider custom_openai',
    });
  });
});
