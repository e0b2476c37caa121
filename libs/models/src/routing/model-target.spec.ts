import { AppError, ErrorCode } from '@app/common';
import { resolveModelTarget, TargetDefaults } from './model-target';

const COMPLETIONS_REGISTRY: TargetDefaults = {
  provider: 'text-completion-openai',
  stripTrailingSlash: true,
  missingApiKey: 'None',
};
const GENERATIONS_REGISTRY: TargetDefaults = {
  provider: 'custom_openai',
  stripTrailingSlash: true,
  missingApiKey: 'None',
};
const LEGACY_CHAT: TargetDefaults = {
  provider: 'custom_openai',
  stripTrailingSlash: false,
  missingApiKey: 'stubbed-api-key',
};

describe(resolveModelTarget.name, () => {
  it('splits the identifier at the first slash only', () => {
    expect(
      resolveModelTarget(
        { name: 'mistral', endpoint: 'http://vllm:8000/v1', apiKey: 'k', identifier: 'custom_openai/mistralai/M-7B' },
        GENERATIONS_REGISTRY,
      ),
    ).toEqual({
      provider: 'custom_openai',
      model: 'mistralai/M-7B',
      family: 'mistral',
      apiBase: 'http://vllm:8000/v1',
      apiKey: 'k',
    });
  });

  it('drops the endpoint for bedrock identifiers', () => {
    expect(
      resolveModelTarget(
        {
          name: 'claude_3',
          endpoint: 'http://ignored:1',
          identifier: 'bedrock/anthropic.claude-3-haiku-20240307-v1:0',
        },
        GENERATIONS_REGISTRY,
      ),
    ).toEqual({
      provider: 'bedrock',
      model: 'anthropic.claude-3-haiku-20240307-v1:0',
      family: 'claude_3',
      apiKey: 'None',
    });
  });

  it('keeps the endpoint for azure identifiers', () => {
    expect(
      resolveModelTarget(
        { endpoint: 'https://r.openai.azure.com', apiKey: 'a', identifier: 'azure/gpt-4o' },
        GENERATIONS_REGISTRY,
      ),
    ).toEqual({ provider: 'azure', model: 'gpt-4o', apiBase: 'https://r.openai.azure.com', apiKey: 'a' });
  });

  it('takes an identifier without a slash as a custom_openai model', () => {
    expect(
      resolveModelTarget(
        { name: 'codestral', endpoint: 'http://vllm:8000/v1', identifier: 'cs-22b' },
        COMPLETIONS_REGISTRY,
      ),
    ).toEqual({
      provider: 'custom_openai',
      model: 'cs-22b',
      family: 'codestral',
      apiBase: 'http://vllm:8000/v1',
      apiKey: 'None',
    });
  });

  it('falls back to the path default provider and the family name without an identifier', () => {
    expect(
      resolveModelTarget({ name: 'codegemma', endpoint: 'http://vllm:8000/v1/', identifier: '' }, COMPLETIONS_REGISTRY),
    ).toEqual({
      provider: 'text-completion-openai',
      model: 'codegemma',
      family: 'codegemma',
      apiBase: 'http://vllm:8000/v1',
      apiKey: 'None',
    });
  });

  it('names no family for a model name outside the family list', () => {
    expect(resolveModelTarget({ name: 'x'.repeat(1000), endpoint: 'http://h/v1' }, GENERATIONS_REGISTRY).family).toBe(
      undefined,
    );
  });

  it('uses the provider the metadata names when there is no identifier', () => {
    expect(
      resolveModelTarget(
        { provider: 'openai', name: 'mistral', endpoint: 'http://vllm:8000/v1' },
        GENERATIONS_REGISTRY,
      ),
    ).toMatchObject({
      provider: 'openai',
      model: 'mistral',
    });
  });

  it('strips exactly one trailing slash on registry paths and none on legacy paths', () => {
    expect(resolveModelTarget({ name: 'mistral', endpoint: 'http://h/v1//' }, GENERATIONS_REGISTRY).apiBase).toBe(
      'http://h/v1/',
    );
    expect(resolveModelTarget({ name: 'mistral', endpoint: 'http://h/v1/' }, LEGACY_CHAT).apiBase).toBe('http://h/v1/');
  });

  it('sends the path literal when no API key is given', () => {
    expect(
      resolveModelTarget({ name: 'mistral', endpoint: 'http://h/v1', apiKey: null }, GENERATIONS_REGISTRY).apiKey,
    ).toBe('None');
    expect(resolveModelTarget({ name: 'mistral', endpoint: 'http://h/v1' }, LEGACY_CHAT).apiKey).toBe(
      'stubbed-api-key',
    );
  });

  it('needs a name or an identifier', () => {
    const failure = (() => {
      try {
        return resolveModelTarget({ endpoint: 'http://h/v1' }, GENERATIONS_REGISTRY);
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: ErrorCode.InvalidInput });
  });
});
