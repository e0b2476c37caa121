import { AppError, ErrorCode } from '@app/common';
import { describeProviderConformance } from '@gitlab-ai-gateway/provider-api/testing';
import { startAnthropicFake } from '@test/fakes/anthropic.server';
import { builtInDefinition, gatewayEnvironment, TOOL_HISTORY_REQUEST, useStandIn } from '@test/helpers/provider-kit';
import { ModelRequest } from '@gitlab-ai-gateway/provider-api';
import { UpstreamHttp } from '../../transport/upstream-http';
import { AnthropicProvider } from './anthropic.provider';

const REQUEST: ModelRequest = {
  messages: [
    { role: 'system', content: 'You are Duo Chat.' },
    { role: 'user', content: 'What is issue #12 about?' },
    { role: 'assistant', content: 'Thought:' },
  ],
  temperature: 0.1,
  maxTokens: 4096,
  stop: ['Observation:'],
};

describeProviderConformance('anthropic', {
  definition: builtInDefinition('anthropic'),
  standIn: startAnthropicFake,
  target: (url, apiKey) => ({ provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', apiBase: url, apiKey }),
  environment: () => gatewayEnvironment({ http: (outbound) => new UpstreamHttp(outbound), injected: () => [{}] }),
  finishReasons: [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'unknown'],
  ],
});

describe(AnthropicProvider.name, () => {
  const run = useStandIn(
    startAnthropicFake,
    (outbound) => new AnthropicProvider(new UpstreamHttp(outbound)),
    (fake) => ({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      apiBase: fake.url,
      apiKey: 'sk-ant-test',
    }),
  );

  it('posts a Messages API request with the system text apart and the assistant prefill last', async () => {
    await run.provider.generate(run.target, REQUEST);
    const request = run.fake.requests.at(-1)!;
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe('sk-ant-test');
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.body).toEqual({
      model: 'claude-3-5-sonnet-20241022',
      system: 'You are Duo Chat.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is issue #12 about?' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Thought:' }] },
      ],
      max_tokens: 4096,
      temperature: 0.1,
      stop_sequences: ['Observation:'],
      stream: false,
    });
  });

  it('accepts an endpoint that already ends in /v1', async () => {
    await run.provider.generate({ ...run.target, apiBase: `${run.fake.url}/v1/` }, REQUEST);
    expect(run.fake.requests.at(-1)!.path).toBe('/v1/messages');
  });

  it('sends tools and tool history as tool_use and tool_result blocks', async () => {
    await run.provider.generate(run.target, TOOL_HISTORY_REQUEST);
    const body = run.fake.requests.at(-1)!.body;
    expect(body.tools).toEqual([
      { name: 'issue_reader', description: 'Reads an issue', input_schema: { type: 'object' } },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Read #1' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'issue_reader', input: { id: 1 } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'Issue 1: crash' },
          { type: 'text', text: 'Summarise it' },
        ],
      },
    ]);
  });

  it('keeps the error type in the message, so overloads can be told apart', async () => {
    run.fake.script({ status: 529, errorMessage: 'Overloaded' });
    const failure = (await run.provider.generate(run.target, REQUEST).catch((error) => error)) as AppError;
    expect(failure).toMatchObject({ code: ErrorCode.ModelFailed, upstreamStatus: 529 });
    expect(failure.message).toContain('overloaded_error: Overloaded');
  });
});
