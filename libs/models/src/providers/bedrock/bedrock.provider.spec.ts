import { AppError, ErrorCode, OutboundHttp } from '@app/common';
import { converseEvent } from '@test/fakes/bedrock-event-stream';
import { BedrockFake, startBedrockFake } from '@test/fakes/bedrock.server';
import { Chunk, ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { BedrockProvider } from './bedrock.provider';
import { collect, testOutbound } from '@test/helpers/provider-kit';

const TARGET: ModelTarget = { provider: 'bedrock', model: 'anthropic.claude-3-haiku-20240307-v1:0', apiKey: 'None' };
const TOOL = { name: 'issue_reader', description: 'Reads an issue', parameters: { type: 'object' } };
const REQUEST: ModelRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello' },
  ],
  temperature: 0.1,
  maxTokens: 64,
  stop: ['Observation:'],
};

describe(BedrockProvider.name, () => {
  let fake: BedrockFake;
  let outbound: OutboundHttp;
  let provider: BedrockProvider;

  beforeAll(async () => {
    fake = await startBedrockFake();
    outbound = testOutbound();
    provider = new BedrockProvider(outbound.dispatcher, { ...fake.credentials, bedrockEndpointUrl: fake.url });
  });

  afterAll(async () => {
    await outbound.onApplicationShutdown();
    await fake.close();
  });

  it('sends a SigV4-signed Converse request and reads the reply', async () => {
    fake.script({ text: 'Hi there', usage: { inputTokens: 7, outputTokens: 3 } });
    const completion = await provider.generate(TARGET, REQUEST);
    expect(completion).toEqual({
      text: 'Hi there',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 7, outputTokens: 3 },
    });
    const [request] = fake.requests.slice(-1);
    expect(decodeURIComponent(request.path)).toBe('/model/anthropic.claude-3-haiku-20240307-v1:0/converse');
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKE\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
    );
    expect(request.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 64, temperature: 0.1, stopSequences: ['Observation:'] },
    });
  });

  it('streams ConverseStream events as chunks, usage then finish last', async () => {
    fake.script({ chunks: ['Hel', 'lo'], usage: { inputTokens: 5, outputTokens: 2 } });
    expect(await collect(provider.stream(TARGET, REQUEST))).toEqual([
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(fake.requests.at(-1)?.path).toMatch(/\/converse-stream$/);
  });

  it('sends tools and tool history as toolUse and toolResult blocks, merging turns', async () => {
    await provider.generate(TARGET, {
      messages: [
        { role: 'user', content: 'Read #1' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'tu_1', name: 'issue_reader', arguments: '{"id":1}' }] },
        { role: 'tool', content: 'Issue 1: crash', toolCallId: 'tu_1' },
        { role: 'user', content: 'Summarise it' },
      ],
      tools: [TOOL],
    });
    const body = fake.requests.at(-1)!.body;
    expect(body.toolConfig).toEqual({
      tools: [
        {
          toolSpec: { name: 'issue_reader', description: 'Reads an issue', inputSchema: { json: { type: 'object' } } },
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Read #1' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'tu_1', name: 'issue_reader', input: { id: 1 } } }] },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tu_1', content: [{ text: 'Issue 1: crash' }] } },
          { text: 'Summarise it' },
        ],
      },
    ]);
  });

  it('reads toolUse blocks, whole and streamed', async () => {
    const call = { id: 'tu_9', name: 'issue_reader', arguments: '{"id":12}' };
    fake.script({ text: 'Let me look.', toolCalls: [call] });
    expect(await provider.generate(TARGET, { ...REQUEST, tools: [TOOL] })).toMatchObject({
      text: 'Let me look.',
      toolCalls: [call],
      finishReason: 'tool_calls',
    });
    const chunks = await collect(provider.stream(TARGET, { ...REQUEST, tools: [TOOL] }));
    expect(chunks.filter((chunk) => chunk.type === 'tool_call')).toEqual([
      { type: 'tool_call', index: 0, id: 'tu_9', name: 'issue_reader', argumentsDelta: '' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"id"' },
      { type: 'tool_call', index: 0, argumentsDelta: ':12}' },
    ]);
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('is refused when the request is signed with other credentials', async () => {
    const stranger = new BedrockProvider(outbound.dispatcher, {
      ...fake.credentials,
      secretAccessKey: 'not-the-secret',
      bedrockEndpointUrl: fake.url,
    });
    await expect(stranger.generate(TARGET, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.ModelRejected,
      upstreamStatus: 403,
    });
  });

  it.each([
    [400, ErrorCode.ModelRejected],
    [429, ErrorCode.ModelRateLimited],
    [500, ErrorCode.ModelFailed],
    [503, ErrorCode.ModelFailed],
    [408, ErrorCode.ModelTimeout],
  ])('maps a %i exception to %s, keeping its name and message', async (status, code) => {
    fake.script({ status, errorMessage: 'scripted failure' });
    const failure = (await provider.generate(TARGET, REQUEST).catch((error) => error)) as AppError;
    expect(failure).toBeInstanceOf(AppError);
    expect(failure.code).toBe(code);
    expect(failure.message).toContain('scripted failure');
  });

  it('fails on an exception inside the stream, after the text before it', async () => {
    fake.script({ chunks: ['par'], streamError: 'model crashed' });
    const seen: Chunk[] = [];
    const failure = await (async () => {
      for await (const chunk of provider.stream(TARGET, REQUEST)) seen.push(chunk);
    })().catch((error: AppError) => error);
    expect(seen).toEqual([{ type: 'text', text: 'par' }]);
    expect(failure).toMatchObject({ code: ErrorCode.ModelFailed, message: expect.stringContaining('model crashed') });
  });

  it('fails as malformed when the stream ends before messageStop', async () => {
    fake.script({ chunks: ['a'], omitTerminator: true });
    await expect(collect(provider.stream(TARGET, REQUEST))).rejects.toMatchObject({ code: ErrorCode.ModelMalformed });
  });

  it('closes the upstream connection when the caller aborts', async () => {
    fake.script({ chunks: ['a', 'b'], stallAfterChunks: 2 });
    const controller = new AbortController();
    const stream = provider.stream(TARGET, { ...REQUEST, signal: controller.signal })[Symbol.asyncIterator]();
    expect(await stream.next()).toEqual({ done: false, value: { type: 'text', text: 'a' } });
    const upstream = fake.requests.at(-1)!;
    const next = stream.next().catch((error: unknown) => error);
    controller.abort();
    expect(await upstream.closed).toBe('aborted');
    expect(await next).toMatchObject({ code: ErrorCode.Cancelled });
  });

  it('closes the upstream connection when the caller stops reading early', async () => {
    fake.script({ chunks: ['a', 'b'], stallAfterChunks: 2 });
    for await (const chunk of provider.stream(TARGET, REQUEST)) {
      expect(chunk).toEqual({ type: 'text', text: 'a' });
      break;
    }
    expect(await fake.requests.at(-1)!.closed).toBe('aborted');
  });

  it('stops reading a Converse body past 16 MiB, closes the connection and reports it malformed', async () => {
    fake.script({ rawBody: ['{"output": "'], endlessBody: 'x'.repeat(64 * 1024) });
    const failure = await provider.generate(TARGET, REQUEST).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({
      code: ErrorCode.ModelMalformed,
      message: 'Model server sent a malformed response: the response body is larger than 16 MiB',
    });
    expect(await fake.requests.at(-1)!.closed).toBe('aborted');
  });

  it('refuses a stream message announcing more than 4 MiB before buffering it, and closes the connection', async () => {
    const prelude = Buffer.alloc(12);
    prelude.writeUInt32BE(2 ** 30, 0);
    fake.script({
      rawBody: [converseEvent('messageStart', { role: 'assistant' }), prelude],
      endlessBody: Buffer.alloc(64 * 1024),
    });
    await expect(collect(provider.stream(TARGET, REQUEST))).rejects.toMatchObject({
      code: ErrorCode.ModelMalformed,
      message: 'Model server sent a malformed response: an event-stream message is larger than 4 MiB',
    });
    expect(await fake.requests.at(-1)!.closed).toBe('aborted');
  });
});
