import { ErrorCode, OutboundHttp } from '@app/common';
import { ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { describeProviderConformance } from '@gitlab-ai-gateway/provider-api/testing';
import { OpenAiFake, startOpenAiFake } from '@test/fakes/openai-compatible.server';
import { builtInDefinition, gatewayEnvironment, testOutbound } from '@test/helpers/provider-kit';
import { UpstreamHttp } from '../../transport/upstream-http';
import { TextCompletionOpenAiProvider } from './text-completion-openai.provider';

const FIM_PROMPT = '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>';
const REQUEST: ModelRequest = {
  messages: [
    { role: 'system', content: 'You are a code completer.' },
    { role: 'user', content: FIM_PROMPT },
  ],
  temperature: 0.95,
  maxTokens: 128,
  stop: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'],
};

describeProviderConformance('text-completion-openai', {
  definition: builtInDefinition('text-completion-openai'),
  standIn: startOpenAiFake,
  target: (url, apiKey) => ({ provider: 'text-completion-openai', model: 'codegemma', apiBase: url, apiKey }),
  environment: () => gatewayEnvironment({ http: (outbound) => new UpstreamHttp(outbound) }),
  finishReasons: [
    ['stop', 'stop'],
    ['length', 'length'],
  ],
  tools: false,
});

describe(TextCompletionOpenAiProvider.name, () => {
  let fake: OpenAiFake;
  let outbound: OutboundHttp;
  let provider: TextCompletionOpenAiProvider;
  let target: ModelTarget;

  beforeAll(async () => {
    fake = await startOpenAiFake();
    outbound = testOutbound();
    provider = new TextCompletionOpenAiProvider(new UpstreamHttp(outbound));
    target = { provider: 'text-completion-openai', model: 'codegemma', apiBase: fake.url, apiKey: 'None' };
  });

  afterAll(async () => {
    await outbound.onApplicationShutdown();
    await fake.close();
  });

  it('sends the last user message as a single prompt string to {api_base}/completions', async () => {
    fake.script({ text: 'return a + b', usage: { inputTokens: 12, outputTokens: 4 } });
    expect(await provider.generate(target, REQUEST)).toEqual({
      text: 'return a + b',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 4 },
    });
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/v1/completions');
    expect(request.headers.authorization).toBe('Bearer None');
    expect(request.body).toEqual({
      model: 'codegemma',
      prompt: FIM_PROMPT,
      temperature: 0.95,
      max_tokens: 128,
      stop: REQUEST.stop,
      stream: false,
      n: 1,
    });
  });

  it('refuses tools and requests without a user message', async () => {
    const tools = [{ name: 't', description: 'd', parameters: {} }];
    await expect(provider.generate(target, { ...REQUEST, tools })).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
    await expect(provider.generate(target, { messages: [{ role: 'system', content: 's' }] })).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
  });
});
