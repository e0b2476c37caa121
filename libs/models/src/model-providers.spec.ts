import { Test } from '@nestjs/testing';
import { ErrorCode, ModelProvider, ModelProviderDefinition, ProviderContext } from '@gitlab-ai-gateway/provider-api';
import { ModelProviders } from './model-providers';
import { MODELS_OPTIONS } from './models-options';
import { UpstreamHttp } from './transport/upstream-http';

const SETTING = Symbol('SETTING');

function provider(servesWithoutEndpoint?: boolean): ModelProvider {
  return {
    generate: () => Promise.reject(new Error('not called')),
    stream: () => (async function* () {})(),
    ...(servesWithoutEndpoint !== undefined && { servesWithoutEndpoint: () => servesWithoutEndpoint }),
  };
}

async function registry(definitions: ModelProviderDefinition[]): Promise<ModelProviders> {
  const module = await Test.createTestingModule({
    providers: [
      ModelProviders,
      { provide: MODELS_OPTIONS, useValue: { providers: definitions } },
      { provide: UpstreamHttp, useValue: { postJson: jest.fn(), postSse: jest.fn() } },
      { provide: SETTING, useValue: 'from-di' },
    ],
  }).compile();
  await module.init();
  return module.get(ModelProviders);
}

describe(ModelProviders.name, () => {
  it('serves every name of a definition with the one provider it created, given the transport and its inject tokens', async () => {
    const created: unknown[][] = [];
    const acme = provider();
    const providers = await registry([
      {
        names: ['acme', 'acme_chat'],
        inject: [SETTING],
        create: (context: ProviderContext, setting: string) => {
          created.push([context.http, setting]);
          return acme;
        },
      },
    ]);
    expect(providers.get('acme')).toBe(acme);
    expect(providers.get('acme_chat')).toBe(acme);
    expect(created).toHaveLength(1);
    expect(created[0][1]).toBe('from-di');
    expect(created[0][0]).toHaveProperty('postSse');
  });

  it('refuses an unknown provider name with 422', async () => {
    const providers = await registry([{ names: ['acme'], create: () => provider() }]);
    expect(() => providers.get('other')).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidInput, message: 'model provider other is not supported' }),
    );
  });

  it('lets a target without endpoint through only where its provider says so', async () => {
    const providers = await registry([
      { names: ['cloud'], create: () => provider(true) },
      { names: ['keyless-cloud'], create: () => provider(false) },
      { names: ['self-hosted'], create: () => provider() },
    ]);
    expect(
      ['cloud', 'keyless-cloud', 'self-hosted', 'unknown'].map((name) => providers.servesWithoutEndpoint(name)),
    ).toEqual([true, false, false, false]);
  });

  it('fails start-up when two definitions register one name, naming both', async () => {
    await expect(
      registry([
        { names: ['custom_openai', 'openai'], create: () => provider() },
        { names: ['tgi', 'openai'], create: () => provider() },
      ]),
    ).rejects.toThrow(
      'Model provider name "openai" is registered twice: by [custom_openai, openai] and by [tgi, openai]',
    );
  });
});
