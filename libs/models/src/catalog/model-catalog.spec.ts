import { codeSuggestionModelError, inputTokenLimit, legacyChatParams } from './model-catalog';
import { isKnownModel, ModelUseCase, promptFamiliesOf } from './model-families';

const SELF_HOSTED_IDS = [
  'mistral',
  'mixtral',
  'codestral',
  'codestral-2501',
  'codestral-2508',
  'codegemma',
  'codellama',
  'deepseekcoder',
  'gpt',
  'llama3',
  'qwen2p5-coder-7b',
  'claude_3',
  'general',
];

describe('model catalog', () => {
  it.each(SELF_HOSTED_IDS)('accepts %s for code completions and generations (gitlab-versions.md §2, §3)', (name) => {
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'litellm', name)).toBeUndefined();
    expect(codeSuggestionModelError(ModelUseCase.CodeGenerations, 'litellm', name)).toBeUndefined();
  });

  it('rejects a name GitLab no longer sends with the exact Pydantic message', () => {
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'litellm', 'claude_3.5')).toBe(
      'model claude_3.5 is not supported by use case code completions and provider litellm',
    );
    expect(codeSuggestionModelError(ModelUseCase.CodeGenerations, 'codestral', 'llama2')).toBe(
      'model llama2 is not supported by use case code generations and provider codestral',
    );
  });

  it('does not check providers that are not served through LiteLLM', () => {
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'anthropic', 'claude-3-5-sonnet')).toBeUndefined();
  });

  it('rejects names that only look like object keys', () => {
    expect(isKnownModel('toString')).toBe(false);
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'litellm', 'constructor')).toBeDefined();
    expect(promptFamiliesOf('constructor')).toEqual(['litellm']);
  });

  it.each([
    ['codestral', ['codestral', 'mistral', 'litellm']],
    ['mixtral', ['mixtral', 'mistral', 'litellm']],
    ['mistral', ['mistral', 'litellm']],
    ['llama3', ['llama3', 'litellm']],
    ['gpt', ['gpt', 'litellm']],
    ['general', ['litellm']],
    ['claude_3', ['claude_3']],
    ['codegemma', ['codegemma', 'litellm']],
    ['codestral-2508', ['codestral-2508', 'litellm']],
    ['qwen2p5-coder-7b', ['qwen2p5-coder-7b', 'litellm']],
    ['my-finetune', ['litellm']],
    [undefined, ['litellm']],
  ])('resolves %s prompts through %j, then base (gitlab-versions.md §2)', (name, families) => {
    expect(promptFamiliesOf(name)).toEqual(families);
  });

  it('gives the legacy chat defaults with stop tokens per family', () => {
    expect(legacyChatParams('mistral')).toEqual({
      temperature: 0.2,
      topP: 0.95,
      maxTokens: 2048,
      stop: ['</new_code>'],
      timeoutS: 30,
    });
    expect(legacyChatParams('codegemma').stop).toEqual([
      '<|fim_prefix|>',
      '<|fim_suffix|>',
      '<|fim_middle|>',
      '<|file_separator|>',
    ]);
    expect(legacyChatParams('gpt').stop).toEqual([]);
    expect(legacyChatParams('constructor').stop).toEqual([]);
  });

  it.each([
    ['codegemma', 'legacy', 8192],
    ['codellama', 'legacy', 16384],
    ['mistral', 'legacy', 32768],
    ['unknown', 'legacy', 32768],
    ['codegemma', 'registry', 2048],
  ] as const)('budgets %s on the %s path at %i tokens', (family, path, limit) => {
    expect(inputTokenLimit(family, path)).toBe(limit);
  });
});
