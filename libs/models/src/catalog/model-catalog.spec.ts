import {
  codeSuggestionModelError,
  inputTokenLimit,
  legacyChatParams,
  legacyTextParams,
  supportsUseCase,
} from './model-catalog';
import { ModelUseCase } from './model-families';

const GITLAB_FAMILIES = [
  'mistral',
  'mixtral',
  'codestral',
  'codegemma',
  'codellama',
  'deepseekcoder',
  'claude_3',
  'gpt',
];

describe('model catalog', () => {
  it.each(GITLAB_FAMILIES)('accepts %s for code completions and generations with provider litellm', (family) => {
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'litellm', family)).toBeUndefined();
    expect(codeSuggestionModelError(ModelUseCase.CodeGenerations, 'litellm', family)).toBeUndefined();
  });

  it('rejects llama3 for code completions with the exact message', () => {
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'litellm', 'llama3')).toBe(
      'model llama3 is not supported by use case code completions and provider litellm',
    );
    expect(codeSuggestionModelError(ModelUseCase.CodeGenerations, 'codestral', 'llama3')).toBe(
      'model llama3 is not supported by use case code generations and provider codestral',
    );
  });

  it('accepts qwen2p5-coder-7b for completions only and claude_3.5 for generations only', () => {
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'fireworks_ai', 'qwen2p5-coder-7b')).toBeUndefined();
    expect(codeSuggestionModelError(ModelUseCase.CodeGenerations, 'litellm', 'qwen2p5-coder-7b')).toBeDefined();
    expect(codeSuggestionModelError(ModelUseCase.CodeGenerations, 'litellm', 'claude_3.5')).toBeUndefined();
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'litellm', 'claude_3.5')).toBeDefined();
  });

  it('does not check providers that are not served through LiteLLM', () => {
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'anthropic', 'claude-3-5-sonnet')).toBeUndefined();
  });

  it('rejects names that only look like object keys', () => {
    expect(supportsUseCase('toString', ModelUseCase.LegacyChat)).toBe(false);
    expect(codeSuggestionModelError(ModelUseCase.CodeCompletions, 'litellm', 'constructor')).toBeDefined();
  });

  it.each([
    ['mistral', true, true, true, true],
    ['mixtral', true, true, true, true],
    ['claude_3', true, true, true, true],
    ['gpt', true, true, true, true],
    ['codestral', true, false, false, true],
    ['codegemma', true, false, false, true],
    ['codellama', true, false, false, true],
    ['deepseekcoder', true, false, false, true],
    ['llama3', false, false, false, true],
  ])('follows the §6.2 table for %s', (family, code, react, subFeatures, check) => {
    expect(supportsUseCase(family, ModelUseCase.CodeCompletions)).toBe(code);
    expect(supportsUseCase(family, ModelUseCase.CodeGenerations)).toBe(code);
    expect(supportsUseCase(family, ModelUseCase.LegacyChat)).toBe(code);
    expect(supportsUseCase(family, ModelUseCase.ChatReact)).toBe(react);
    expect(supportsUseCase(family, ModelUseCase.ChatSubFeatures)).toBe(subFeatures);
    expect(supportsUseCase(family, ModelUseCase.ModelConfigurationCheck)).toBe(check);
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
  });

  it('gives the legacy text defaults', () => {
    expect(legacyTextParams('codellama')).toEqual({
      temperature: 0.95,
      topP: 0.95,
      maxTokens: 16,
      stop: [],
      timeoutS: 30,
    });
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
