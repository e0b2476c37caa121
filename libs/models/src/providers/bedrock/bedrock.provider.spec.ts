import { ErrorCode } from '@app/common';
import { collect, describeProviderConformance } from '@gitlab-ai-gateway/provider-api/testing';
import { converseEvent } from '@test/fakes/bedrock-event-stream';
import { startBedrockFake } from '@test/fakes/bedrock.server';
import {
  builtInDefinition,
  CHAT_REQUEST,
  gatewayEnvironment,
  TOOL_HISTORY_REQUEST,
  testOutbound,
  useStandIn,
} from '@test/helpers/provider-kit';
import { ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { BedrockProvider } from './bedrock.provider';

const TARGET: ModelTarget = { provider: 'bedrock', model: 'anthropic.claude-3-haiku-20240307-v1:0', apiKey: 'None' };
const REQUEST = CHAT_REQUEST;

describeProviderConformance('bedrock', {
  definition: builtInDefinition('bedrock'),
  standIn: startBedrockFake,
  target: () => TARGET,
  environment: (fake) =>
    gatewayEnvironment({
      injected: (outbound) => [{ aws: { ...fake.credentials, bedrockEndpointUrl: fake.url } }, outbound],
    }),
  finishReasons: [
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['model_context_window_exceeded', 'unknown'],
  ],
  // The SDK does not hand `retry-after` on; AWS event-stream framing has its own test below.
  retryAfter: false,
  streamFraming: 'binary',
  namesEndpoint: false,
});

describe(BedrockProvider.name, () => {
  const run = useStandIn(
    startBedrockFake,
    (outbound, fake) => new BedrockProvider(outbound.dispatcher, { ...fake.credentials, bedrockEndpointUrl: fake.url }),
    () => TARGET,
  );

  it('sends a SigV4-signed Converse request', async () => {
    await run.provider.generate(TARGET, REQUEST);
    const [request] = run.fake.requests.slice(-1);
    expect(decodeURIComponent(request.path)).toBe('/model/anthropic.claude-3-haiku-20240307-v1:0/converse');
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKE\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
    );
    expect(request.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'def add(a, b):' }] }],
      system: [{ text: 'You complete code.' }],
      inferenceConfig: { maxTokens: 64, temperature: 0.32, stopSequences: ['[INST]'] },
    });
  });

  it('sends tools and tool history as toolUse and toolResult blocks, merging turns', async () => {
    await run.provider.generate(TARGET, TOOL_HISTORY_REQUEST);
    const body = run.fake.requests.at(-1)!.body;
    expect(body.toolConfig).toEqual({
      tools: [
        {
          toolSpec: { name: 'issue_reader', description: 'Reads an issue', inputSchema: { json: { type: 'object' } } },
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Read #1' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'call_1', name: 'issue_reader', input: { id: 1 } } }] },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'call_1', content: [{ text: 'Issue 1: crash' }] } },
          { text: 'Summarise it' },
        ],
      },
    ]);
  });

  it('is refused when the request is signed with other credentials', async () => {
    const outbound = testOutbound();
    const stranger = new BedrockProvider(outbound.dispatcher, {
      ...run.fake.credentials,
      secretAccessKey: 'not-the-secret',
      bedrockEndpointUrl: run.fake.url,
    });
    await expect(stranger.generate(TARGET, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.ModelRejected,
      upstreamStatus: 403,
    });
    await outbound.onApplicationShutdown();
  });

  it('refuses a stream message announcing more than 4 MiB before buffering it, and closes the connection', async () => {
    const prelude = Buffer.alloc(12);
    prelude.writeUInt32BE(2 ** 30, 0);
    run.fake.script({
      rawBody: [converseEvent('messageStart', { role: 'assistant' }), prelude],
      endlessBody: Buffer.alloc(64 * 1024),
    });
    await expect(collect(run.provider.stream(TARGET, REQUEST))).rejects.toMatchObject({
      code: ErrorCode.ModelMalformed,
      message: 'Model server sent a malformed response: an event-stream message is larger than 4 MiB',
    });
    expect(await run.fake.requests.at(-1)!.closed).toBe('aborted');
  });
});
