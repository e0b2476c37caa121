import { join } from 'node:path';
import { projectRoot } from '../project-root';
import { loadPromptDefinitions } from './prompt-loader';
import { PromptRegistry } from './prompt-registry';
import { PROMPT_DEFINITIONS_DIR } from './prompts.module';

const registry = new PromptRegistry(loadPromptDefinitions(join(projectRoot(), PROMPT_DEFINITIONS_DIR)), {});
const inputs = { prefix: 'def add(a, b):\n    ', suffix: '\n' };
const userOf = (id: string, family: string) =>
  registry
    .resolve(id, family)
    .render(inputs)
    .find((message) => message.role === 'user')?.content;
const MISTRAL_STOP = ['[INST]', '[/INST]', '[PREFIX]', '[MIDDLE]', '[SUFFIX]'];

describe('prompt definitions (http-api.md §6.3–§6.4)', () => {
  it.each([
    ['codestral', '<s>[SUFFIX]\n[PREFIX]def add(a, b):\n    '],
    ['mistral', '<s>[SUFFIX]\n[PREFIX]def add(a, b):\n    '],
    ['mixtral', '<s>[SUFFIX]\n[PREFIX]def add(a, b):\n    '],
    ['codegemma', '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>'],
    ['codellama', '<PRE> def add(a, b):\n     <SUF> \n <MID>'],
    [
      'deepseekcoder',
      '<\uff5cfim\u2581begin\uff5c>def add(a, b):\n    <\uff5cfim\u2581hole\uff5c>\n<\uff5cfim\u2581end\uff5c>',
    ],
    ['gpt', '<PREFIX>\ndef add(a, b):\n    \n</PREFIX>\n<cursor />\n<SUFFIX>\n\n\n</SUFFIX>'],
  ])('lays out the %s completion prompt byte for byte', (family, user) => {
    expect(userOf('code_suggestions/completions', family)).toBe(user);
  });

  it.each([
    ['codestral', 'Codestral 22B Code Completions', 0.32, 64, MISTRAL_STOP, ['system', 'user']],
    ['mistral', 'Mistral 7B Instruct Code Completions', 0, 128, MISTRAL_STOP, ['system', 'user']],
    ['mixtral', 'Mixtral Instruct Code Completions', 0, 128, MISTRAL_STOP, ['system', 'user']],
    [
      'codegemma',
      'Codegemma Code Completions',
      0.95,
      128,
      ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'],
      ['user'],
    ],
    ['codellama', 'Codellama 13B-Code Code Completions', 0.95, 128, ['<PRE>', '<SUF>', '<MID>', '<EOT>'], ['user']],
    ['deepseekcoder', 'DeepSeekCoder Code Completions', 0, 128, undefined, ['user']],
    ['gpt', 'GPT Code Completions', 0, 128, ['[INST]', '[/INST]', '</PREFIX>', '</SUFFIX>'], ['system', 'user']],
    ['claude_3', 'Claude 3 Code Completions', 0, 128, undefined, ['system', 'user']],
  ])('gives %s completions its name, parameters and messages', (family, name, temperature, maxTokens, stop, roles) => {
    const prompt = registry.resolve('code_suggestions/completions', family);
    expect(prompt).toMatchObject({ name, version: '1.0.0', unitPrimitives: ['complete_code'] });
    expect(prompt.params).toEqual({ temperature, maxTokens, stop, timeoutS: 60, topP: undefined });
    expect(prompt.render(inputs).map((message) => message.role)).toEqual(roles);
  });

  it('renders claude_3 completions with empty language and file name blocks', () => {
    expect(userOf('code_suggestions/completions', 'claude_3')).toContain(
      '<language></language>\n<file_name></file_name>\n<prefix>def add(a, b):\n    </prefix>\n<suffix>\n</suffix>',
    );
  });

  it.each([
    ['codestral', 'Codestral 22B Code Generations', 0.3, 512],
    ['mistral', 'Mistral 7B Code Generations', 0.95, 512],
    ['mixtral', 'Mixtral Code Generations', 0.95, 512],
    ['codegemma', 'CodeGemma Generations', 0.95, 512],
    ['codellama', 'Codellama 13B Code Generations', 0.95, 512],
    ['deepseekcoder', 'DeepSeekCoder Code Generations', 0.95, 512],
    ['gpt', 'GPT Code Generations', 1, 512],
    ['claude_3', 'Claude 3 Code Generations Agent', 0.2, 2048],
  ])(
    'gives %s generations its name and parameters, with prefix and instruction in the user message',
    (family, name, temperature, maxTokens) => {
      const prompt = registry.resolve('code_suggestions/generations', family);
      expect(prompt).toMatchObject({ name, unitPrimitives: ['generate_code'] });
      expect(prompt.params).toEqual({ temperature, maxTokens, stop: undefined, timeoutS: 60, topP: undefined });
      const [system, user] = prompt.render({
        prefix: '# add\n',
        instruction: 'write add',
        language: 'python',
        file_name: 'a.py',
      });
      expect(system.role).toBe('system');
      expect(user.content).toContain('# add');
      expect(user.content).toContain('write add');
    },
  );

  it('compiles every template of every definition (compiled on first use, not at load)', () => {
    for (const definition of registry.all()) {
      for (const role of ['system', 'user', 'assistant'] as const) {
        expect(() => definition.renderRole(role, {})).not.toThrow();
      }
    }
  });
});
