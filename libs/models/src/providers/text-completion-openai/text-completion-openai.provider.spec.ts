import { ErrorCode } from '@app/common';
import { ModelRequest } from '@gitlab-ai-gateway/provider-api';
import { describeProviderConformance } from '@gitlab-ai-gateway/provider-api/testing';
import { startOpenAiFake } from '@test/fakes/openai-compatible.server';
import { builtInDefinition, gatewayEnvironment, useStandIn } from '@test/helpers/provider-kit';
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
  const run = useStandIn(
    startOpenAiFake,
    (outbound) => new TextCompletionOpenAiProvider(new UpstreamHttp(outbound)),
    (fake) => ({ provider: 'text-completion-openai', model: 'codegemma', apiBase: fake.url, apiKey: 'None' }),
  );

  it('sends the last user message as a single prompt string to {api_base}/completions', async () => {
    await run.provider.generate(run.target, REQUEST);
    const request = run.fake.requests.at(-1)!;
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
    await expect(run.provider.generate(run.target, { ...REQUEST, tools })).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
    await expect(
      run.provider.generate(run.target, { messages: [{ role: 'system', content: 's' }] }),
    ).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
  });
});
