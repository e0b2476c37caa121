import { join } from 'node:path';
import { railsReaderJson, railsReviewComments } from '@test/helpers/rails-response-parsers';
import { projectRoot } from '../project-root';
import { loadPromptDefinitions } from './prompt-loader';
import { PromptRegistry } from './prompt-registry';
import { PROMPT_DEFINITIONS_DIR, withChatMaxTokens } from './prompts.module';

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

  it.each([
    ['llama3', 'Llama 3 Code Completions', 'system'],
    ['qwen2p5-coder-7b', 'Qwen 2.5 Coder 7B Code Completions', 'user'],
  ])('has %s completions (gitlab-versions.md §3)', (family, name, firstRole) => {
    const prompt = registry.resolve('code_suggestions/completions', family);
    expect(prompt).toMatchObject({ family, name });
    expect(prompt.render(inputs)[0].role).toBe(firstRole);
  });

  it('lays out qwen2p5-coder-7b completions as Qwen 2.5 Coder fill-in-the-middle', () => {
    expect(userOf('code_suggestions/completions', 'qwen2p5-coder-7b')).toBe(
      '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>',
    );
  });

  it.each(['llama3', 'qwen2p5-coder-7b'])('has %s generations (gitlab-versions.md §3)', (family) => {
    expect(registry.resolve('code_suggestions/generations', family).family).toBe(family);
  });

  it.each(['codestral', 'llama3', 'litellm'])('has a chat/react variant for %s (gitlab-versions.md §4)', (family) => {
    const model = family === 'litellm' ? 'general' : family;
    const prompt = registry.resolve('chat/react', model);
    expect(prompt.family).toBe(family);
    expect(prompt.params).toMatchObject({ stop: ['Observation:'], maxTokens: 4096 });
    expect(prompt.renderRole('assistant', { agent_scratchpad: [] })).toBe('Thought: ');
  });

  const SELF_HOSTED_MODELS = [
    'codestral',
    'llama3',
    'general',
    'mistral',
    'mixtral',
    'gpt',
    'claude_3',
    'deepseekcoder',
  ];
  const CHAT_PROMPTS = [
    'build_reader',
    'commit_reader',
    'epic_reader',
    'explain_code',
    'explain_vulnerability',
    'fix_code',
    'issue_reader',
    'merge_request_reader',
    'refactor_code',
    'summarize_comments',
    'troubleshoot_job',
    'write_tests',
  ].map((name) => `chat/${name}`);
  const OTHER_PROMPTS = [
    'resolve_vulnerability',
    'summarize_new_merge_request',
    'generate_commit_message',
    'review_merge_request',
    'model_configuration/check',
  ];
  it.each([...CHAT_PROMPTS, ...OTHER_PROMPTS])(
    'serves %s for every self-hosted model with a ^1.0.0 version (gitlab-versions.md §4)',
    (id) => {
      for (const model of SELF_HOSTED_MODELS) {
        const prompt = registry.resolve(id, model);
        expect(prompt.version).toMatch(/^1\./);
        expect(() => prompt.renderRole('system', {})).not.toThrow();
      }
    },
  );

  const READERS = ['build_reader', 'commit_reader', 'epic_reader', 'issue_reader', 'merge_request_reader'];
  it.each(READERS.map((name) => `chat/${name}`))(
    'prefills %s with the start of the JSON object that Rails completes and parses (Tools::Identifier)',
    (id) => {
      const prompt = registry.resolve(id, 'claude_3');
      const withNotes = prompt.render({ input: 'What is #12 about?', suggestions: 'I need the issue.\n' });
      expect(withNotes.map((message) => message.role)).toEqual(['system', 'user', 'assistant']);
      expect(withNotes[2].content).toBe('I need the issue.\n\n```json\n{\n  "ResourceIdentifierType": "');
      expect(prompt.render({ input: 'What is #12 about?' })[2].content).toBe(
        '```json\n{\n  "ResourceIdentifierType": "',
      );
      expect(railsReaderJson('iid",\n  "ResourceIdentifier": 12\n}\n```')).toEqual({
        ResourceIdentifierType: 'iid',
        ResourceIdentifier: 12,
      });
    },
  );

  it('asks review_merge_request for the <review> of <comment> elements Rails parses, with the diffs Rails sends', () => {
    const diff =
      '<file_diff filename="config/app.rb">\n<line type="added" old_line="" new_line="1">t = 30</line>\n</file_diff>';
    const text = registry
      .resolve('review_merge_request', 'claude_3')
      .render({
        mr_title: 'Raise timeout',
        mr_description: '',
        diff_lines: diff,
        custom_instructions_section: 'Check units.',
      })
      .map((message) => message.content)
      .join('\n');
    expect(text).toContain(diff);
    expect(text).toContain('Check units.');
    const example = /(<review>\n<comment [\s\S]*?<\/review>)/.exec(text)![1];
    expect(railsReviewComments(example)).toEqual([
      expect.objectContaining({ file: 'app/models/user.rb', priority: '3', old_line: '', new_line: '42' }),
    ]);
    expect(text).toContain('reply with <review></review>');
  });

  it('replaces max_tokens of every Duo Chat prompt with AIGW_DUO_CHAT__MAX_TOKENS, and of no other (§7)', () => {
    const capped = new PromptRegistry(withChatMaxTokens(registry.all(), 8192), {});
    expect(capped.resolve('chat/react', 'mistral').params.maxTokens).toBe(8192);
    expect(capped.resolve('chat/explain_code', 'llama3').params.maxTokens).toBe(8192);
    expect(capped.resolve('code_suggestions/generations', 'mistral').params.maxTokens).toBe(512);
    expect(withChatMaxTokens(registry.all(), undefined)).toEqual(registry.all());
  });

  it('compiles every template of every definition (compiled on first use, not at load)', () => {
    for (const definition of registry.all()) {
      for (const role of ['system', 'user', 'assistant'] as const) {
        expect(() => definition.renderRole(role, {})).not.toThrow();
      }
    }
  });
});
