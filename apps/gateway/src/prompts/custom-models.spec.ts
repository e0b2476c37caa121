import { ErrorCode } from '@app/common';
import { AppConfig } from '../config';
import { modelMetadataTarget, requireCustomModels } from './custom-models';

describe(requireCustomModels.name, () => {
  it('fails with 500 and the original log message while custom models are disabled', () => {
    const config = new AppConfig();
    expect(() => requireCustomModels(config)).toThrow(
      expect.objectContaining({
        code: ErrorCode.Internal,
        message: 'Endpoint override not allowed when custom models are disabled.',
      }),
    );
    config.customModels.enabled = true;
    expect(() => requireCustomModels(config)).not.toThrow();
  });
});

describe(modelMetadataTarget.name, () => {
  it('uses the provider as sent, strips one trailing slash and sends None without a key', () => {
    expect(modelMetadataTarget({ provider: 'openai', name: 'mistral', endpoint: 'http://vllm:8000/v1/' })).toEqual({
      provider: 'openai',
      model: 'mistral',
      apiBase: 'http://vllm:8000/v1',
      apiKey: 'None',
    });
  });

  it('defaults the provider to openai and lets the identifier name the model', () => {
    expect(modelMetadataTarget({ name: 'mistral', endpoint: 'http://vllm:8000/v1', api_key: 'k' })).toMatchObject({
      provider: 'openai',
      apiKey: 'k',
    });
    expect(
      modelMetadataTarget({ name: 'mistral', endpoint: 'http://vllm:8000/v1', identifier: 'custom_openai/Mistral-7B' }),
    ).toMatchObject({
      provider: 'custom_openai',
      model: 'Mistral-7B',
    });
  });
});
