import { request } from 'undici';
import { ErrorCode } from '@app/common';
import { ModelService, resolveModelTarget, TargetDefaults } from '@app/models';
import { ModelFake } from '@gitlab-ai-gateway/provider-api/testing';
import { startAnthropicFake } from './fakes/anthropic.server';
import { startAzureOpenAiFake } from './fakes/azure-openai.server';
import { BedrockFake, startBedrockFake } from './fakes/bedrock.server';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { collect } from './helpers/provider-kit';

const REGISTRY: TargetDefaults = { provider: 'custom_openai', stripTrailingSlash: true, missingApiKey: 'None' };
const REQUEST = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 12, temperature: 0 };

describe('model providers in the booted gateway', () => {
  let openAi: OpenAiFake;
  let anthropic: ModelFake;
  let azure: ModelFake;
  let bedrock: BedrockFake;
  let pooled: OpenAiFake;
  let gateway: TestGateway;
  let models: ModelService;

  beforeAll(async () => {
    [openAi, anthropic, azure, bedrock, pooled] = await Promise.all([
      startOpenAiFake(),
      startAnthropicFake(),
      startAzureOpenAiFake(),
      startBedrockFake(),
      startOpenAiFake(),
    ]);
    gateway = await startGateway({
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      AIGW_CUSTOM_MODELS__ALLOWED_ENDPOINTS: JSON.stringify([
        openAi.url,
        anthropic.origin,
        azure.origin,
        pooled.origin,
      ]),
      AIGW_MODEL_CLIENT__MAX_CONNECTIONS_PER_ORIGIN: '2',
      AIGW_AZURE_OPENAI__API_VERSION: '2025-01-01-preview',
      AIGW_AWS__BEDROCK_ENDPOINT_URL: bedrock.url,
      AWS_ACCESS_KEY_ID: bedrock.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: bedrock.credentials.secretAccessKey,
      AWS_REGION_NAME: bedrock.credentials.region,
    });
    models = gateway.app.get(ModelService);
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([openAi.close(), anthropic.close(), azure.close(), bedrock.close(), pooled.close()]);
  });

  it('calls a vLLM endpoint named the way GitLab sends it, and counts the call on the metrics listener', async () => {
    openAi.script({ text: 'return a + b' });
    const target = resolveModelTarget(
      { name: 'codestral', endpoint: `${openAi.url}/`, apiKey: 'sk-x', identifier: 'custom_openai/Codestral-22B-v0.1' },
      REGISTRY,
    );
    const completion = await models.generate(target, REQUEST, { featureCategory: 'code_suggestions' });

    expect(completion.text).toBe('return a + b');
    const upstream = openAi.requests.at(-1)!;
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.body).toMatchObject({ model: 'Codestral-22B-v0.1', max_tokens: 12, temperature: 0 });
    const metrics = await (await request(gateway.metricsUrl)).body.text();
    expect(metrics).toContain(
      'model_inferences_total{model_engine="custom_openai",model_name="codestral",error="no",streaming="no",feature_category="code_suggestions"} 1',
    );
  });

  it('streams from Bedrock with the AWS credentials and region from the environment', async () => {
    bedrock.script({ chunks: ['Hel', 'lo'] });
    const target = resolveModelTarget(
      { name: 'claude_3', endpoint: openAi.url, identifier: 'bedrock/anthropic.claude-3-haiku-20240307-v1:0' },
      REGISTRY,
    );
    const chunks = await collect(models.stream(target, REQUEST));
    expect(chunks.filter((chunk) => chunk.type === 'text')).toEqual([
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
    ]);
    expect(bedrock.requests.at(-1)!.headers.authorization).toContain(
      `/${bedrock.credentials.region}/bedrock/aws4_request`,
    );
  });

  it('calls an Azure deployment with the configured api-version', async () => {
    azure.script({ text: 'from azure' });
    const target = resolveModelTarget(
      { name: 'gpt', endpoint: azure.url, apiKey: 'az', identifier: 'azure/gpt-4o' },
      REGISTRY,
    );
    expect((await models.generate(target, REQUEST)).text).toBe('from azure');
    const upstream = azure.requests.at(-1)!;
    expect(upstream.path).toBe('/openai/deployments/gpt-4o/chat/completions');
    expect(upstream.query.get('api-version')).toBe('2025-01-01-preview');
  });

  it('calls Anthropic for anthropic/ identifiers', async () => {
    anthropic.script({ text: 'from claude' });
    const target = resolveModelTarget(
      { name: 'claude_3', endpoint: anthropic.url, apiKey: 'sk-ant', identifier: 'anthropic/claude-3-5-haiku-latest' },
      REGISTRY,
    );
    expect((await models.generate(target, REQUEST)).text).toBe('from claude');
    expect(anthropic.requests.at(-1)!.body.model).toBe('claude-3-5-haiku-latest');
  });

  it('gives up on answers that never end with model_malformed, closing their connections', async () => {
    const endless = 'x'.repeat(64 * 1024);
    const vllm = resolveModelTarget({ name: 'mistral', endpoint: openAi.url, identifier: 'custom_openai/m' }, REGISTRY);
    openAi.script({ rawBody: ['{"choices": "'], endlessBody: endless });
    await expect(models.generate(vllm, REQUEST)).rejects.toMatchObject({ code: ErrorCode.ModelMalformed });
    expect(await openAi.requests.at(-1)!.closed).toBe('aborted');

    openAi.script({ rawBody: ['data: '], endlessBody: endless });
    await expect(collect(models.stream(vllm, REQUEST))).rejects.toMatchObject({ code: ErrorCode.ModelMalformed });
    expect(await openAi.requests.at(-1)!.closed).toBe('aborted');

    const claude = resolveModelTarget(
      { name: 'claude_3', identifier: 'bedrock/anthropic.claude-3-haiku-20240307-v1:0' },
      REGISTRY,
    );
    bedrock.script({ rawBody: ['{"output": "'], endlessBody: endless });
    await expect(models.generate(claude, REQUEST)).rejects.toMatchObject({ code: ErrorCode.ModelMalformed });
    expect(await bedrock.requests.at(-1)!.closed).toBe('aborted');
  });

  it('refuses endpoints outside AIGW_CUSTOM_MODELS__ALLOWED_ENDPOINTS', async () => {
    const target = resolveModelTarget({ name: 'mistral', endpoint: `${openAi.origin}/other` }, REGISTRY);
    await expect(models.generate(target, REQUEST)).rejects.toMatchObject({ code: ErrorCode.InvalidInput });
  });

  it('keeps to AIGW_MODEL_CLIENT__MAX_CONNECTIONS_PER_ORIGIN connections per model server', async () => {
    let release = () => {};
    pooled.script({ hold: new Promise<void>((resolve) => (release = resolve)) });
    const target = { provider: 'custom_openai', model: 'm', apiBase: pooled.url };
    const calls = Array.from({ length: 5 }, () => models.generate(target, REQUEST));
    await pooled.waitForRequests(2);
    release();
    await Promise.all(calls);
    expect(pooled.requests).toHaveLength(5);
    expect(pooled.connectionCount).toBe(2);
  });
});
