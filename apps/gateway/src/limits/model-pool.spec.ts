import { modelPoolOf } from './model-pool';

describe('modelPoolOf: what per-pool limits key on', () => {
  const target = { provider: 'custom_openai', model: 'm', apiBase: 'http://vllm-1:8000/v1', apiKey: 'k' };

  it('is the configured pool a route matched, also as the metric label', () => {
    expect(modelPoolOf(target, 'vllm-main')).toEqual({ name: 'vllm-main', label: 'vllm-main' });
  });

  it('is the endpoint origin without a route, labelled other (it came from a request)', () => {
    expect(modelPoolOf(target)).toEqual({ name: 'http://vllm-1:8000', label: 'other' });
  });

  it('is the provider for endpoints the provider chooses (Bedrock)', () => {
    expect(modelPoolOf({ provider: 'bedrock', model: 'm' })).toEqual({ name: 'bedrock', label: 'other' });
  });
});
