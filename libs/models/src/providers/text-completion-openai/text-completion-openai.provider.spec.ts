import { ErrorCode, OutboundHttp } from '@app/common';
import { OpenAiFake, startOpenAiFake } from '@test/fakes/openai-compatible.server';
import { ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { UpstreamHttp } from '../../transport/upstream-http';
import { TextCompletionOpenAiProvider } from './text-completion-openai.provider';
import { collect, testOutbound } from '@test/helpers/provider-kit';

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

  it('streams the text deltas', async () => {
    fake.script({ chunks: ['ret', 'urn', ' a + b'], finishReason: 'length' });
    expect(await collect(provider.stream(target, REQUEST))).toEqual([
      { type: 'text', text: 'ret' },
      { type: 'text', text: 'urn' },
      { type: 'text', text: ' a + b' },
      { type: 'finish', reason: 'length' },
    ]);
    expect(fake.requests.at(-1)!.body).toMatchObject({ prompt: FIM_PROMPT, stream: true });
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
