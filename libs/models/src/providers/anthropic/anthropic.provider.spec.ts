import { AppError, ErrorCode, OutboundHttp } from '@app/common';
import { startAnthropicFake } from '@test/fakes/anthropic.server';
import { ModelFake } from '@test/fakes/model-fake';
import { Chunk, ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { UpstreamHttp } from '../../transport/upstream-http';
import { AnthropicProvider } from './anthropic.provider';
import { collect, testOutbound } from '@test/helpers/provider-kit';

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
const TOOL = { name: 'issue_reader', description: 'Reads an issue', parameters: { type: 'object' } };

describe(AnthropicProvider.name, () => {
  let fake: ModelFake;
  let outbound: OutboundHttp;
  let provider: AnthropicProvider;
  let target: ModelTarget;

  beforeAll(async () => {
    fake = await startAnthropicFake();
    outbound = testOutbound();
    provider = new AnthropicProvider(new UpstreamHttp(outbound));
    target = { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', apiBase: fake.url, apiKey: 'sk-ant-test' };
  });

  afterAll(async () => {
    await outbound.onApplicationShutdown();
    await fake.close();
  });

  it('posts a Messages API request with the system text apart and the assistant prefill last', async () => {
    fake.script({ text: ' I need the issue.', usage: { inputTokens: 30, outputTokens: 6 } });
    expect(await provider.generate(target, REQUEST)).toEqual({
      text: ' I need the issue.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 30, outputTokens: 6 },
    });
    const request = fake.requests.at(-1)!;
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
    await provider.generate({ ...target, apiBase: `${fake.url}/v1/` }, REQUEST);
    expect(fake.requests.at(-1)!.path).toBe('/v1/messages');
  });

  it('streams text deltas from its event types, skipping pings, then usage and finish', async () => {
    fake.script({ chunks: ['Hel', 'lo'], usage: { inputTokens: 9, outputTokens: 2 }, finishReason: 'max_tokens' });
    expect(await collect(provider.stream(target, REQUEST))).toEqual([
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 2 } },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('sends tools and tool history as tool_use and tool_result blocks', async () => {
    await provider.generate(target, {
      messages: [
        { role: 'user', content: 'Read #1' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'toolu_1', name: 'issue_reader', arguments: '{"id":1}' }] },
        { role: 'tool', content: 'Issue 1: crash', toolCallId: 'toolu_1' },
        { role: 'user', content: 'Summarise it' },
      ],
      tools: [TOOL],
    });
    const body = fake.requests.at(-1)!.body;
    expect(body.tools).toEqual([
      { name: 'issue_reader', description: 'Reads an issue', input_schema: { type: 'object' } },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Read #1' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'issue_reader', input: { id: 1 } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Issue 1: crash' },
          { type: 'text', text: 'Summarise it' },
        ],
      },
    ]);
  });

  it('reads tool_use blocks, whole and streamed', async () => {
    const call = { id: 'toolu_9', name: 'issue_reader', arguments: '{"id":12}' };
    fake.script({ text: 'Let me look.', toolCalls: [call] });
    const completion = await provider.generate(target, { ...REQUEST, tools: [TOOL] });
    expect(completion).toMatchObject({ text: 'Let me look.', toolCalls: [call], finishReason: 'tool_calls' });

    const chunks = await collect(provider.stream(target, { ...REQUEST, tools: [TOOL] }));
    expect(chunks.filter((chunk) => chunk.type === 'tool_call')).toEqual([
      { type: 'tool_call', index: 0, id: 'toolu_9', name: 'issue_reader', argumentsDelta: '' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"id"' },
      { type: 'tool_call', index: 0, argumentsDelta: ':12}' },
    ]);
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('keeps the error type in the message, so overloads can be told apart', async () => {
    fake.script({ status: 529, errorMessage: 'Overloaded' });
    const failure = (await provider.generate(target, REQUEST).catch((error) => error)) as AppError;
    expect(failure).toMatchObject({ code: ErrorCode.ModelFailed, upstreamStatus: 529 });
    expect(failure.message).toContain('overloaded_error: Overloaded');
  });

  it('maps 429 with retry-after and 401', async () => {
    fake.script({ status: 429, retryAfter: '30' }, { status: 401, errorMessage: 'invalid x-api-key' });
    await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.ModelRateLimited,
      retryAfterS: 30,
    });
    await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.ModelRejected,
      upstreamStatus: 401,
    });
  });

  it('fails on an error event inside the stream, after the text before it', async () => {
    fake.script({ chunks: ['par'], streamError: 'Overloaded' });
    const seen: Chunk[] = [];
    const failure = await (async () => {
      for await (const chunk of provider.stream(target, REQUEST)) seen.push(chunk);
    })().catch((error: AppError) => error);
    expect(seen).toEqual([{ type: 'text', text: 'par' }]);
    expect(failure).toMatchObject({
      code: ErrorCode.ModelFailed,
      message: expect.stringContaining('overloaded_error'),
    });
  });

  it('fails as malformed when the stream ends before message_stop', async () => {
    fake.script({ chunks: ['a'], omitTerminator: true });
    await expect(collect(provider.stream(target, REQUEST))).rejects.toMatchObject({ code: ErrorCode.ModelMalformed });
  });

  it('closes the upstream connection when the caller aborts', async () => {
    fake.script({ chunks: ['a', 'b'], stallAfterChunks: 4 });
    const controller = new AbortController();
    const stream = provider.stream(target, { ...REQUEST, signal: controller.signal })[Symbol.asyncIterator]();
    expect(await stream.next()).toEqual({ done: false, value: { type: 'text', text: 'a' } });
    const upstream = fake.requests.at(-1)!;
    const next = stream.next().catch((error: unknown) => error);
    controller.abort();
    expect(await upstream.closed).toBe('aborted');
    expect(await next).toMatchObject({ code: ErrorCode.Cancelled });
  });
});
