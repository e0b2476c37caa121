import { ErrorCode } from '@app/common';
import { ModelRequest } from '@gitlab-ai-gateway/provider-api';
import { describeProviderConformance } from '@gitlab-ai-gateway/provider-api/testing';
import { startAzureOpenAiFake } from '@test/fakes/azure-openai.server';
import { builtInDefinition, gatewayEnvironment, useStandIn } from '@test/helpers/provider-kit';
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
  const run = useStandIn(
    startAzureOpenAiFake,
    (outbound) => new AzureOpenAiProvider(new UpstreamHttp(outbound), '2024-10-21'),
    (fake) => ({ provider: 'azure', model: 'gpt-4o-prod', apiBase: `${fake.url}/`, apiKey: 'azure-key' }),
  );

  it('calls the deployment URL with api-version and the api-key header', async () => {
    run.fake.script({ text: 'hello' });
    expect((await run.provider.generate(run.target, REQUEST)).text).toBe('hello');
    const request = run.fake.requests.at(-1)!;
    expect(request.path).toBe('/openai/deployments/gpt-4o-prod/chat/completions');
    expect(request.query.get('api-version')).toBe('2024-10-21');
    expect(request.headers['api-key']).toBe('azure-key');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('reports a refused key as rejected with Azure’s message', async () => {
    const failure = run.provider.generate({ ...run.target, apiKey: undefined }, REQUEST);
    await expect(failure).rejects.toMatchObject({ code: ErrorCode.ModelRejected, upstreamStatus: 401 });
    await expect(failure).rejects.toThrow('Access denied due to invalid subscription key');
  });
});
