import { AppError, ErrorCode } from '@app/common';
import { definition, definitionsDir } from '@test/helpers/prompt-files';
import { loadPromptDefinitions } from './prompt-loader';
import { PromptRegistry } from './prompt-registry';

function expectAppError(fn: () => unknown, code: ErrorCode, message: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, message });
    return;
  }
  throw new Error('expected an AppError');
}

describe(PromptRegistry.name, () => {
  const dir = definitionsDir({
    'shared/system.jinja': 'You help{% if project %} with {{ project }}{% endif %}.\n',
    'chat/explain/base/1.0.0.yml': definition('Base 1.0.0'),
    'chat/explain/base/1.2.0.yml': definition('Base 1.2.0'),
    'chat/explain/base/2.0.0.yml': definition('Base 2.0.0'),
    'chat/explain/mistral/1.0.0.yml': definition('Mistral 1.0.0', '[INST]{{ input }}{{ extra | default("") }}[/INST]'),
  });
  const registry = new PromptRegistry(loadPromptDefinitions(dir), { 'chat/explain': 'mistral' });

  it('picks the highest version that satisfies a Poetry-style constraint', () => {
    expect(registry.resolve('chat/explain', 'base').name).toBe('Base 1.2.0');
    expect(registry.resolve('chat/explain', 'base', '~1.0').name).toBe('Base 1.0.0');
    expect(registry.resolve('chat/explain', 'base', '>=1.0.0, <3').name).toBe('Base 2.0.0');
    expect(registry.resolve('chat/explain', 'base', '==1.0.0').name).toBe('Base 1.0.0');
  });

  it('uses AIGW_DEFAULT_PROMPTS without a model and base for a model without a variant', () => {
    expect(registry.resolve('chat/explain', undefined).family).toBe('mistral');
    expect(registry.resolve('chat/explain', 'llama3').family).toBe('base');
  });

  describe('family fall-back lists (gitlab-versions.md §2)', () => {
    const families = new PromptRegistry(
      loadPromptDefinitions(
        definitionsDir({
          'shared/system.jinja': 'System.\n',
          'chat/ask/base/1.0.0.yml': definition('Base'),
          'chat/ask/mistral/1.0.0.yml': definition('Mistral'),
          'chat/ask/litellm/1.0.0.yml': definition('LiteLLM'),
          'chat/ask/claude_3/2.0.0.yml': definition('Claude 2.0.0'),
          'chat/ask/llama3/1.0.0.yml': definition('Llama 1.0.0'),
          'chat/ask/llama3/1.1.0-dev.yml': definition('Llama 1.1.0-dev'),
        }),
      ),
      {},
    );

    it.each([
      ['codestral', 'mistral'],
      ['mixtral', 'mistral'],
      ['mistral', 'mistral'],
      ['gpt', 'litellm'],
      ['general', 'litellm'],
      ['my-own-finetune', 'litellm'],
      ['codegemma', 'litellm'],
    ])('resolves %s through its list to %s', (model, family) => {
      expect(families.resolve('chat/ask', model).family).toBe(family);
    });

    it('does not fall through to base when the family exists but no version matches', () => {
      expectAppError(() => families.resolve('chat/ask', 'claude_3'), ErrorCode.NotFound, "Prompt 'chat/ask' not found");
    });

    it('considers stable versions only for a range, and lets an exact constraint pick a -dev version (§4)', () => {
      expect(families.resolve('chat/ask', 'llama3').name).toBe('Llama 1.0.0');
      expect(families.resolve('chat/ask', 'llama3', '>=1.0.0').name).toBe('Llama 1.0.0');
      expect(families.resolve('chat/ask', 'llama3', '1.1.0-dev').name).toBe('Llama 1.1.0-dev');
    });
  });

  it('answers 404 for an unknown id or an unsatisfiable version, 422 for a bad constraint', () => {
    expectAppError(
      () => registry.resolve('does/not/exist', 'base'),
      ErrorCode.NotFound,
      "Prompt 'does/not/exist' not found",
    );
    expectAppError(
      () => registry.resolve('chat/explain', 'base', '^9.0.0'),
      ErrorCode.NotFound,
      "Prompt 'chat/explain' not found",
    );
    expectAppError(
      () => registry.resolve('chat/explain', 'base', '!!'),
      ErrorCode.InvalidInput,
      'Invalid version constraint',
    );
  });

  it('renders like Jinja: includes, undefined as empty, one trailing newline dropped per message', () => {
    const messages = registry.resolve('chat/explain', 'mistral').render({ input: 'Hi\n' });
    expect(messages).toEqual([
      { role: 'system', content: 'You help.' },
      { role: 'user', content: '[INST]Hi\n[/INST]' },
    ]);
  });

  it('requires unguarded variables with the LangChain message', () => {
    expectAppError(
      () => registry.resolve('chat/explain', 'base').render({ project: 'x' }),
      ErrorCode.InvalidInput,
      "Input to ChatPromptTemplate is missing variables {'input'}.  Expected: ['input'] Received: ['project']",
    );
  });

  it('fails loading with the name of a broken file', () => {
    const broken = definitionsDir({ 'chat/x/base/1.0.0.yml': 'name: X\nmodel: {params: {temperature: 1}}\n' });
    expect(() => loadPromptDefinitions(broken)).toThrow(/^Invalid prompt definition chat\/x\/base\/1\.0\.0\.yml: /);
    const badTemplate = definitionsDir({ 'chat/y/base/1.0.0.yml': definition('Y', '{% if %}') });
    expect(() => loadPromptDefinitions(badTemplate)).toThrow(/chat\/y\/base\/1\.0\.0\.yml/);
    const badVersion = definitionsDir({ 'chat/z/base/one.yml': definition('Z') });
    expect(() => loadPromptDefinitions(badVersion)).toThrow("chat/z/base/one.yml: 'one' is not a semantic version");
  });
});
