import { ErrorCode } from '@app/common';
import { describeProviderConformance } from '@gitlab-ai-gateway/provider-api/testing';
import { startOpenAiFake } from '@test/fakes/openai-compatible.server';
import { builtInDefinition, CHAT_REQUEST, gatewayEnvironment, useStandIn } from '@test/helpers/provider-kit';
import { UpstreamHttp } from '../../transport/upstream-http';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';

const REQUEST = CHAT_REQUEST;

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

describeProviderConformance('custom_openai', {
  definition: builtInDefinition('custom_openai'),
  standIn: startOpenAiFake,
  target: (url, apiKey) => ({ provider: 'custom_openai', model: 'm', apiBase: url, apiKey }),
  environment: () => gatewayEnvironment({ http: (outbound) => new UpstreamHttp(outbound) }),
  finishReasons: [
    ['stop', 'stop'],
    ['length', 'length'],
    ['content_filter', 'content_filter'],
    ['function_call', 'tool_calls'],
    ['eos', 'unknown'],
  ],
});

describe(OpenAiCompatibleProvider.name, () => {
  const run = useStandIn(
    startOpenAiFake,
    (outbound) => new OpenAiCompatibleProvider(new UpstreamHttp(outbound)),
    (fake) => ({ provider: 'custom_openai', model: 'mistralai/Codestral-22B', apiBase: fake.url, apiKey: 'k' }),
  );

  it('posts the chat body of http-api.md §6.1 to {api_base}/chat/completions', async () => {
    await run.provider.generate(run.target, { ...REQUEST, topP: 0.95 });
    const request = run.fake.requests.at(-1)!;
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
    await run.provider.generate({ ...run.target, apiBase: `${run.fake.url}/` }, REQUEST);
    expect(run.fake.requests.at(-1)!.path).toBe('/v1/chat/completions');
  });

  it('omits stop when the list is empty', async () => {
    await run.provider.generate(run.target, { ...REQUEST, stop: [] });
    expect(run.fake.requests.at(-1)!.body).not.toHaveProperty('stop');
  });

  it('sends tools, earlier tool calls and tool results the OpenAI way', async () => {
    await run.provider.generate(run.target, {
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
    const body = run.fake.requests.at(-1)!.body;
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

  it('rejects a 200 body that is not JSON, or has no choices, as malformed', async () => {
    run.fake.script({ rawBody: ['<html>gateway</html>'] }, { errorBody: {}, rawBody: ['{"id":"x"}'] });
    await expect(run.provider.generate(run.target, REQUEST)).rejects.toMatchObject({ code: ErrorCode.ModelMalformed });
    await expect(run.provider.generate(run.target, REQUEST)).rejects.toMatchObject({ code: ErrorCode.ModelMalformed });
  });

  it('needs an endpoint', async () => {
    await expect(run.provider.generate({ ...run.target, apiBase: undefined }, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: 'model_endpoint is required for provider custom_openai',
    });
  });
});
