import { ErrorCode } from '@app/common';
import { AppConfig } from '../config';
import { modelMetadataTarget, refuseCloudOnlyProvider, requireCustomModels } from './custom-models';

describe(requireCustomModels.name, () => {
  it('fails with 500 and the original log message while custom models are disabled', () => {
    const config = new AppConfig();
    expect(() => requireCustomModels(config)).toThrow(
      expect.objectContaining({
        code: ErrorCode.InternalByContract,
        message: 'Endpoint override not allowed when custom models are disabled.',
      }),
    );
    config.customModels.enabled = true;
    expect(() => requireCustomModels(config)).not.toThrow();
  });
});

describe(refuseCloudOnlyProvider.name, () => {
  it.each(['gitlab', 'amazon_q'])('refuses %s with the exact text of gitlab-versions.md §4a', (provider) => {
    expect(() => refuseCloudOnlyProvider(provider)).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidInput,
        message: `model provider ${provider} is not available on a self-hosted AI gateway`,
      }),
    );
  });

  it.each(['openai', 'custom_openai', 'litellm', null, undefined])('lets %s through', (provider) => {
    expect(() => refuseCloudOnlyProvider(provider)).not.toThrow();
  });
});

describe(modelMetadataTarget.name, () => {
  it('uses the provider as sent, strips one trailing slash and sends None without a key', () => {
    expect(modelMetadataTarget({ provider: 'openai', name: 'mistral', endpoint: 'http://vllm:8000/v1/' })).toEqual({
      provider: 'openai',
      model: 'mistral',
      family: 'mistral',
      apiBase: 'http://vllm:8000/v1',
      apiKey: 'None',
    });
  });

  it('lets the identifier name the provider and the model', () => {
    expect(
      modelMetadataTarget({
        provider: 'openai',
        name: 'mistral',
        endpoint: 'http://vllm:8000/v1',
        identifier: 'custom_openai/Mistral-7B',
      }),
    ).toMatchObject({ provider: 'custom_openai', model: 'Mistral-7B' });
  });

  it('sends dummy_key for a custom_openai model without identifier or key (gitlab-versions.md §2)', () => {
    const metadata = { provider: 'custom_openai', name: 'general', endpoint: 'http://vllm:8000/v1' };
    expect(modelMetadataTarget(metadata).apiKey).toBe('dummy_key');
    expect(modelMetadataTarget({ ...metadata, api_key: 'k' }).apiKey).toBe('k');
    expect(modelMetadataTarget({ ...metadata, identifier: 'custom_openai/m' }).apiKey).toBe('None');
  });
});
