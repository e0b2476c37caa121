import { Global, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { AppError, ErrorCode, OUTBOUND_HTTP_OPTIONS, OutboundHttp } from '@app/common';
import { startAnthropicFake } from '@test/fakes/anthropic.server';
import { startAzureOpenAiFake } from '@test/fakes/azure-openai.server';
import { BedrockFake, startBedrockFake } from '@test/fakes/bedrock.server';
import { OpenAiFake, startOpenAiFake } from '@test/fakes/openai-compatible.server';
import { ModelFake } from '@gitlab-ai-gateway/provider-api/testing';
import { ModelService } from './model.service';
import { Chunk, ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { ModelsModule } from './models.module';
import { BUILT_IN_MODEL_PROVIDERS } from './providers/built-in-providers';
import { collect } from '@test/helpers/provider-kit';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'hi' }], maxTokens: 8 };

describe(ModelService.name, () => {
  const registry = new Registry();
  let openAi: OpenAiFake;
  let anthropic: ModelFake;
  let azure: ModelFake;
  let bedrock: BedrockFake;
  let moduleRef: TestingModule;
  let service: ModelService;

  beforeAll(async () => {
    [openAi, anthropic, azure, bedrock] = await Promise.all([
      startOpenAiFake(),
      startAnthropicFake(),
      startAzureOpenAiFake(),
      startBedrockFake(),
    ]);

    @Global()
    @Module({
      providers: [
        {
          provide: OUTBOUND_HTTP_OPTIONS,
          useValue: {
            caBundleFile: '',
            maxConnectionsPerOrigin: 4,
            connectTimeoutS: 1,
            readTimeoutS: 5,
            keepAliveTimeoutS: 5,
          },
        },
        OutboundHttp,
        { provide: Registry, useValue: registry },
      ],
      exports: [OutboundHttp, Registry],
    })
    class HostModule {}

    moduleRef = await Test.createTestingModule({
      imports: [
        HostModule,
        ModelsModule.registerAsync({
          useFactory: () => ({
            providers: BUILT_IN_MODEL_PROVIDERS,
            allowedEndpoints: [openAi.origin, anthropic.origin, azure.origin],
            azureApiVersion: '2024-10-21',
            customModelHeaders: { 'x-proxy-key': 'proxy-secret' },
            userIdHeader: 'x-end-user',
            aws: { ...bedrock.credentials, bedrockEndpointUrl: bedrock.url },
          }),
        }),
      ],
    }).compile();
    service = moduleRef.get(ModelService);
  });

  afterAll(async () => {
    await moduleRef.close();
    await Promise.all([openAi.close(), anthropic.close(), azure.close(), bedrock.close()]);
  });

  it.each([
    ['custom_openai', () => openAi.url, '/v1/chat/completions'],
    ['openai', () => openAi.url, '/v1/chat/completions'],
    ['hosted_vllm', () => openAi.url, '/v1/chat/completions'],
    ['ollama', () => openAi.url, '/v1/chat/completions'],
    ['litellm_proxy', () => openAi.url, '/v1/chat/completions'],
    ['text-completion-openai', () => openAi.url, '/v1/completions'],
    ['text-completion-custom_openai', () => openAi.url, '/v1/completions'],
    ['codestral', () => openAi.url, '/v1/chat/completions'],
    ['text-completion-codestral', () => openAi.url, '/v1/completions'],
    ['mistral', () => openAi.url, '/v1/chat/completions'],
  ])('sends %s targets to the OpenAI-compatible server', async (provider, url, path) => {
    openAi.script({ text: `via ${provider}` });
    const completion = await service.generate({ provider, model: 'm', apiBase: url(), apiKey: 'k' }, REQUEST);
    expect(completion.text).toBe(`via ${provider}`);
    expect(openAi.requests.at(-1)!.path).toBe(path);
  });

  it('sends anthropic, azure and bedrock targets to their own servers', async () => {
    anthropic.script({ text: 'claude' });
    azure.script({ text: 'azure' });
    bedrock.script({ text: 'bedrock' });
    const targets: ModelTarget[] = [
      { provider: 'anthropic', model: 'claude-3-haiku', apiBase: anthropic.url, apiKey: 'k' },
      { provider: 'azure', model: 'deployment', apiBase: azure.url, apiKey: 'k' },
      { provider: 'bedrock', model: 'anthropic.claude-3-haiku-20240307-v1:0' },
    ];
    const texts = await Promise.all(targets.map(async (target) => (await service.generate(target, REQUEST)).text));
    expect(texts).toEqual(['claude', 'azure', 'bedrock']);
  });

  it('refuses providers it does not know, before any request', async () => {
    const before = openAi.requests.length;
    await expect(
      service.generate({ provider: 'vertex_ai', model: 'm', apiBase: openAi.url }, REQUEST),
    ).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: 'model provider vertex_ai is not supported',
    });
    expect(openAi.requests).toHaveLength(before);
  });

  it('checks the endpoint against the allow-list before any request', async () => {
    await expect(
      service.generate({ provider: 'custom_openai', model: 'm', apiBase: 'http://127.0.0.2:1/v1' }, REQUEST),
    ).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: 'model_endpoint is not in the allowed model endpoints',
    });
    await expect(
      collect(service.stream({ provider: 'custom_openai', model: 'm', apiBase: 'ftp://x' }, REQUEST)),
    ).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
  });

  it.each(['custom_openai', 'text-completion-openai', 'anthropic', 'azure'])(
    'checks the endpoint of a %s target itself, whole and streamed, so callers need not check it first',
    async (provider) => {
      const target = { provider, model: 'm', apiBase: openAi.url.replace('127.0.0.1', 'localhost'), apiKey: 'k' };
      const before = [openAi, anthropic, azure].map((fake) => fake.requests.length);
      const refused = { code: ErrorCode.InvalidInput, message: 'model_endpoint is not in the allowed model endpoints' };
      await expect(service.generate(target, REQUEST)).rejects.toMatchObject(refused);
      await expect(collect(service.stream(target, REQUEST))).rejects.toMatchObject(refused);
      expect([openAi, anthropic, azure].map((fake) => fake.requests.length)).toEqual(before);
    },
  );

  it('sends the configured extra headers and the user id header to endpoints a request names (§7)', async () => {
    openAi.script({ text: 'ok' });
    anthropic.script({ text: 'ok' });
    await service.generate(
      { provider: 'custom_openai', model: 'm', apiBase: openAi.url, apiKey: 'k' },
      {
        ...REQUEST,
        userId: '42',
      },
    );
    expect(openAi.requests.at(-1)!.headers).toMatchObject({
      authorization: 'Bearer k',
      'x-proxy-key': 'proxy-secret',
      'x-end-user': '42',
    });
    await collect(service.stream({ provider: 'anthropic', model: 'c', apiBase: anthropic.url, apiKey: 'k' }, REQUEST));
    expect(anthropic.requests.at(-1)!.headers['x-proxy-key']).toBe('proxy-secret');
    expect(anthropic.requests.at(-1)!.headers['x-end-user']).toBeUndefined();
  });

  it.each([
    [{ provider: 'custom_openai', model: 'm' }, 'model_endpoint is required: the request names no model endpoint'],
    [{ provider: 'anthropic', model: 'claude' }, 'model_endpoint is required: the request names no model endpoint'],
    [{ provider: 'mistral', model: 'm' }, 'model_endpoint is required: the request names no model endpoint'],
    [{ provider: 'text-completion-codestral', model: 'm' }, 'model_endpoint is required'],
  ])(
    'refuses %j, which would go to a cloud the operator did not configure, before any I/O (§2)',
    async (target, message) => {
      await expect(service.generate(target, REQUEST)).rejects.toMatchObject({
        code: ErrorCode.InvalidInput,
        message: expect.stringContaining(message),
      });
      expect(() =>
        service.assertServable(target, { endpoint: 'model_metadata.endpoint', apiKey: 'model_metadata.api_key' }),
      ).toThrow(/^model_metadata\.endpoint is required: /);
    },
  );

  it.each(['a\nb', 'Ω', 'k\u0000'])(
    'refuses the API key %j, which cannot be a header value, with 422',
    async (apiKey) => {
      const before = openAi.requests.length;
      await expect(
        service.generate({ provider: 'custom_openai', model: 'm', apiBase: openAi.url, apiKey }, REQUEST),
      ).rejects.toMatchObject({
        code: ErrorCode.InvalidInput,
        message: 'model_api_key must contain only printable ASCII characters: it is sent as an HTTP header',
      });
      expect(openAi.requests).toHaveLength(before);
    },
  );

  it('masks the API key when the upstream echoes it', async () => {
    const apiKey = 'sk-live-0123456789abcdef';
    openAi.script({ status: 401, errorMessage: `Incorrect API key provided: ${apiKey}` });
    const failure = (await service
      .generate({ provider: 'custom_openai', model: 'm', apiBase: openAi.url, apiKey }, REQUEST)
      .catch((error) => error)) as AppError;
    expect(failure).toMatchObject({ code: ErrorCode.ModelRejected, upstreamStatus: 401 });
    expect(failure.message).toContain('Incorrect API key provided: **********');
    expect(failure.message).not.toContain(apiKey);
  });

  it('ends a stream quietly when the caller aborts it', async () => {
    openAi.script({ chunks: ['a', 'b'], stallAfterChunks: 2 });
    const controller = new AbortController();
    const target = { provider: 'custom_openai', model: 'm', apiBase: openAi.url };
    const seen: Chunk[] = [];
    for await (const chunk of service.stream(target, { ...REQUEST, signal: controller.signal })) {
      seen.push(chunk);
      controller.abort();
    }
    expect(seen).toEqual([{ type: 'text', text: 'a' }]);
    expect(await openAi.requests.at(-1)!.closed).toBe('aborted');
  });

  it('records inference metrics by engine, model, outcome, streaming and feature category', async () => {
    const target = { provider: 'custom_openai', model: 'metrics-model', family: 'mistral', apiBase: openAi.url };
    openAi.script({ text: 'ok' }, { status: 500 }, { chunks: ['x'] });
    await service.generate(target, REQUEST, { featureCategory: 'code_suggestions' });
    await service.generate(target, REQUEST, { featureCategory: 'code_suggestions' }).catch(() => undefined);
    await collect(service.stream(target, REQUEST, { featureCategory: 'duo_chat', modelEngine: 'litellm' }));

    const text = await registry.metrics();
    const labels = 'model_engine="custom_openai",model_name="mistral"';
    expect(text).toContain(
      `model_inferences_total{${labels},error="no",streaming="no",feature_category="code_suggestions"} 1`,
    );
    expect(text).toContain(
      `model_inferences_total{${labels},error="yes",streaming="no",feature_category="code_suggestions"} 1`,
    );
    expect(text).toContain(
      'model_inferences_total{model_engine="litellm",model_name="mistral",error="no",streaming="yes",feature_category="duo_chat"} 1',
    );
    expect(text).toContain(
      `inference_request_duration_seconds_count{${labels},error="no",streaming="no",feature_category="code_suggestions"} 1`,
    );
    expect(text).toContain(`model_inferences_in_flight{${labels}} 0`);
  });

  it('labels an engine, model or feature category outside the fixed sets as other (issue 15)', async () => {
    const target = { provider: 'custom_openai', model: 'x'.repeat(100_000), apiBase: openAi.url };
    openAi.script({ text: 'ok' });
    await service.generate(target, REQUEST, { featureCategory: 'y'.repeat(1000), modelEngine: 'z'.repeat(1000) });
    const text = await registry.metrics();
    expect(text).toContain(
      'model_inferences_total{model_engine="other",model_name="other",error="no",streaming="no",feature_category="other"} 1',
    );
    expect(text.length).toBeLessThan(100_000);
  });
});
