import { ErrorCode, OutboundHttp } from '@app/common';
import { ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { describeProviderConformance, ModelFake } from '@gitlab-ai-gateway/provider-api/testing';
import { startAzureOpenAiFake } from '@test/fakes/azure-openai.server';
import { builtInDefinition, gatewayEnvironment, testOutbound } from '@test/helpers/provider-kit';
import { UpstreamHttp } from '../../transport/upstream-http';
import { AzureOpenAiProvider } from './azure.provider';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'hi' }], temperature: 0, maxTokens: 12 };

describeProviderConformance('azure', {
  definition: builtInDefinition('azure'),
  standIn: startAzureOpenAiFake,
  target: (url, apiKey) => ({ provider: 'azure', model: 'gpt-4o-prod', apiBase: url, apiKey }),
  environment: () =>
    gatewayEnvironment({
      http: (outbound) => new UpstreamHttp(outbound),
      injected: () => [{ azureApiVersion: '2024-10-21' }],
    }),
  finishReasons: [
    ['stop', 'stop'],
    ['length', 'length'],
    ['content_filter', 'content_filter'],
  ],
});

describe(AzureOpenAiProvider.name, () => {
  let fake: ModelFake;
  let outbound: OutboundHttp;
  let provider: AzureOpenAiProvider;
  let target: ModelTarget;

  beforeAll(async () => {
    fake = await startAzureOpenAiFake();
    outbound = testOutbound();
    provider = new AzureOpenAiProvider(new UpstreamHttp(outbound), '2024-10-21');
    target = { provider: 'azure', model: 'gpt-4o-prod', apiBase: `${fake.url}/`, apiKey: 'azure-key' };
  });

  afterAll(async () => {
    await outbound.onApplicationShutdown();
    await fake.close();
  });

  it('calls the deployment URL with api-version and the api-key header', async () => {
    fake.script({ text: 'hello' });
    expect((await provider.generate(target, REQUEST)).text).toBe('hello');
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/openai/deployments/gpt-4o-prod/chat/completions');
    expect(request.query.get('api-version')).toBe('2024-10-21');
    expect(request.headers['api-key']).toBe('azure-key');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('reports a refused key as rejected with Azure’s message', async () => {
    const failure = provider.generate({ ...target, apiKey: undefined }, REQUEST);
    await expect(failure).rejects.toMatchObject({ code: ErrorCode.ModelRejected, upstreamStatus: 401 });
    await expect(failure).rejects.toThrow('Access denied due to invalid subscription key');
  });
});
