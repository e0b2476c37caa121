import { join } from 'node:path';
import { railsReaderJson, railsReviewComments } from '@test/helpers/rails-response-parsers';
import { ChatMessage } from '@app/models';
import { projectRoot } from '../project-root';
import { PromptDefinition } from './prompt-definition';
import { loadPromptDefinitions } from './prompt-loader';
import { PromptRegistry } from './prompt-registry';
import { PROMPT_DEFINITIONS_DIR } from './prompts.module';

const registry = new PromptRegistry(loadPromptDefinitions(join(projectRoot(), PROMPT_DEFINITIONS_DIR)), {});

const CODE_FILE =
  'Here is the content of the file user is working with:\n<file>\n  def add(a, b):\n    return a + b\n</file>\n';
const CODE_TASK = {
  input: 'Explain this code',
  selected_text: 'def add(a, b):\n    return a + b',
  file_content: CODE_FILE,
  language_info: 'The code is written in Python and stored as calc.py',
};
const READER = { input: 'What is issue #12 about?', suggestions: 'I need to read the issue the user is viewing.' };

/**
 * `inputs` as GitLab Rails sends them to `/v1/prompts/<id>` (gitlab-org/gitlab, `ee/lib/gitlab/llm/…`):
 * slash commands merge `input` with `SlashCommandTool#selected_text_options` and their `command_options`;
 * the readers get `{input, suggestions}` from `Agents::SingleActionExecutor#process_tool_action`; the others
 * come from `AiGateway::Completions::<Feature>#inputs` (review: `Templates::ReviewMergeRequest#to_prompt_inputs`).
 */
const GITLAB_INPUTS: Record<string, Record<string, string>> = {
  'chat/explain_code': CODE_TASK,
  'chat/fix_code': { ...CODE_TASK, input: 'Fix this code' },
  'chat/refactor_code': { ...CODE_TASK, input: 'Refactor this code' },
  'chat/write_tests': { ...CODE_TASK, input: 'Write tests for this code' },
  'chat/explain_vulnerability': {
    input: 'Explain the current vulnerability.',
    selected_text: '',
    file_content: '',
    language_info: '',
    title: 'SQL injection in search',
    identifiers: 'CWE-89, A03:2021 - Injection',
    vulnerability_info: 'The file "search.rb" has this vulnerable code:\n\n```\nUser.where("name = \'#{q}\'")\n```\n',
  },
  'chat/summarize_comments': {
    input: 'Summarize issue comments.',
    selected_text: '',
    file_content: '',
    language_info: '',
    notes_content: '<comment>SSO login loops back.</comment><comment>The SAML callback drops the cookie.</comment>',
  },
  'chat/troubleshoot_job': {
    input: 'Troubleshoot the job log.',
    selected_text: '$ bundle exec rspec\nFailure/Error: expect(total).to eq(3)\nERROR: Job failed: exit code 1',
    file_content: '',
    language_info: 'The repository code is written in Ruby and Shell.',
  },
  'chat/build_reader': { ...READER, input: 'Why did job 1234 fail?' },
  'chat/commit_reader': { ...READER, input: 'What changed in commit 3f2a9c1?' },
  'chat/epic_reader': { ...READER, input: 'Summarize &7' },
  'chat/issue_reader': READER,
  'chat/merge_request_reader': { ...READER, input: 'Review !15 for me' },
  resolve_vulnerability: {
    name: 'SQL injection in search',
    filename: 'search.rb',
    identifiers: '<report_identifiers>\n * CWE-89\n</report_identifiers>',
    vulnerable_code: 'User.where("name = \'#{q}\'")',
    source_code: 'def search(q)\n  User.where("name = \'#{q}\'")\nend',
    vulnerability_description: 'User input reaches an SQL query unescaped.',
  },
  summarize_new_merge_request: { extracted_diff: '@@ -1 +1 @@\n-timeout = 5\n+timeout = 30' },
  generate_commit_message: { diff: '@@ -1 +1 @@\n-timeout = 5\n+timeout = 30' },
  review_merge_request: {
    mr_title: 'Raise the request timeout',
    mr_description: 'Slow uploads time out.',
    diff_lines:
      '<file_diff filename="config/app.rb">\n<line type="deleted" old_line="1" new_line="">timeout = 5</line>\n' +
      '<line type="added" old_line="" new_line="1">timeout = 30</line>\n</file_diff>',
    full_file_intro: '',
    full_content_section: '',
    custom_instructions_section: '',
  },
  'model_configuration/check': {},
};

const CHAT_SUB_PROMPTS = Object.keys(GITLAB_INPUTS).filter((id) => id.startsWith('chat/'));
const READERS = CHAT_SUB_PROMPTS.filter((id) => id.endsWith('_reader'));
const FEATURE_PROMPTS = [
  'resolve_vulnerability',
  'review_merge_request',
  'summarize_new_merge_request',
  'generate_commit_message',
];

/** Which variant each self-hosted model name gets, by gitlab-versions.md §2's fall-back lists. */
const CHAT_VARIANT_OF: Record<string, string> = {
  codestral: 'codestral',
  'codestral-2501': 'litellm',
  'codestral-2508': 'litellm',
  mistral: 'mistral',
  mixtral: 'mistral',
  llama3: 'llama3',
  general: 'litellm',
  gpt: 'litellm',
  'qwen2p5-coder-7b': 'litellm',
  codegemma: 'litellm',
  codellama: 'litellm',
  deepseekcoder: 'litellm',
  'my-own-finetune': 'litellm',
  claude_3: 'base',
};
/** The feature prompts have no codestral files: codestral's list goes on to mistral. */
const FEATURE_VARIANT_OF = { ...CHAT_VARIANT_OF, codestral: 'mistral' };
/** The connection check has llama3 and mistral files only; whatever else falls back to base. */
const CHECK_VARIANT_OF = Object.fromEntries(
  Object.entries(FEATURE_VARIANT_OF).map(([model, family]) => [model, family === 'litellm' ? 'base' : family]),
);

const VARIANTS: Array<[string, string[]]> = [
  ...CHAT_SUB_PROMPTS.map((id): [string, string[]] => [id, ['litellm', 'llama3', 'mistral', 'codestral']]),
  ...FEATURE_PROMPTS.map((id): [string, string[]] => [id, ['litellm', 'llama3', 'mistral']]),
  ['model_configuration/check', ['llama3', 'mistral']],
];
const EACH_VARIANT = VARIANTS.flatMap(([id, families]) => families.map((family) => [id, family]));

const variant = (id: string, family: string) => registry.resolve(id, family === 'litellm' ? 'general' : family);
const textOf = (messages: ChatMessage[]) => messages.map((message) => message.content).join('\n');

/** The `Expected: [...]` list of the 422 a prompt answers when given no inputs; `[]` when it needs none. */
function requiredInputs(prompt: PromptDefinition): string {
  try {
    prompt.render({});
    return '[]';
  } catch (error) {
    return /Expected: (\[.*?\])/.exec((error as Error).message)?.[1] ?? (error as Error).message;
  }
}

describe('family variants of gitlab-versions.md §4', () => {
  describe('resolution through the fall-back lists of §2', () => {
    it.each(
      CHAT_SUB_PROMPTS.flatMap((id) => Object.entries(CHAT_VARIANT_OF).map(([model, family]) => [id, model, family])),
    )('serves %s to a %s model with its %s variant', (id, model, family) => {
      expect(registry.resolve(id, model).family).toBe(family);
    });

    it.each(
      FEATURE_PROMPTS.flatMap((id) => Object.entries(FEATURE_VARIANT_OF).map(([model, family]) => [id, model, family])),
    )('serves %s to a %s model with its %s variant', (id, model, family) => {
      expect(registry.resolve(id, model).family).toBe(family);
    });

    it.each(Object.entries(CHECK_VARIANT_OF))('serves the connection check to a %s model with %s', (model, family) => {
      expect(registry.resolve('model_configuration/check', model).family).toBe(family);
    });
  });

  describe.each(EACH_VARIANT)('%s for %s', (id, family) => {
    const prompt = variant(id, family);
    const messages = () => prompt.render(GITLAB_INPUTS[id]);

    it('needs exactly the inputs of base, so a request that base accepts is accepted', () => {
      expect(prompt.version).toBe('1.0.0');
      expect(requiredInputs(prompt)).toBe(requiredInputs(registry.resolve(id, 'claude_3')));
      expect(prompt.unitPrimitives).toEqual(registry.resolve(id, 'claude_3').unitPrimitives);
    });

    it("puts every input GitLab sends into the prompt, in the family's message layout", () => {
      const roles = family === 'mistral' || family === 'codestral' ? ['user'] : ['system', 'user'];
      expect(messages().map((message) => message.role)).toEqual(roles);
      const text = textOf(messages());
      for (const value of Object.values(GITLAB_INPUTS[id]).filter((input) => input !== '')) {
        expect(text).toContain(value.trim());
      }
      expect(text).not.toMatch(/\n{3}|undefined|\[object Object\]/);
    });
  });

  describe('readers (Rails parses the answer as the continuation of a JSON object it starts itself)', () => {
    it.each(READERS.flatMap((id) => ['litellm', 'llama3', 'mistral', 'codestral'].map((family) => [id, family])))(
      '%s for %s ends its prompt where the answer starts, with a short budget and stops',
      (id, family) => {
        const prompt = variant(id, family);
        const text = textOf(prompt.render(GITLAB_INPUTS[id]));
        expect(text.endsWith('Continue this answer:\n```json\n{\n  "ResourceIdentifierType": "')).toBe(true);
        expect(prompt.params).toMatchObject({ temperature: 0, maxTokens: 256, stop: ['```', 'Question:'] });
      },
    );

    it.each(READERS)('%s teaches only replies that Rails can parse, with an allowed type', (id) => {
      const system = variant(id, 'litellm').renderRole('system', GITLAB_INPUTS[id]) ?? '';
      const types = /one of ([a-z, ]+), and/.exec(system)![1].split(', ');
      const replies = [...system.matchAll(/you reply\n([\s\S]*?\n```)/g)].map(([, reply]) => reply);
      expect(replies.length).toBeGreaterThanOrEqual(3);
      for (const reply of replies) {
        const json = railsReaderJson(reply);
        expect(types).toContain(json.ResourceIdentifierType);
        expect(json.ResourceIdentifier).toBeDefined();
      }
    });
  });

  describe('review_merge_request (Rails reads <comment> elements of a <review>)', () => {
    it.each(['litellm', 'llama3', 'mistral'])('%s shows a reply format that Rails parses', (family) => {
      const text = textOf(variant('review_merge_request', family).render(GITLAB_INPUTS.review_merge_request));
      const example = /(<review>\n<comment [\s\S]*?<\/review>)/.exec(text)![1];
      expect(railsReviewComments(example)).toEqual([
        expect.objectContaining({ file: 'app/models/user.rb', priority: '3', old_line: '', new_line: '42' }),
      ]);
      expect(text).toContain('<review></review>');
      expect(text).toContain('<file_diff filename="config/app.rb">');
    });

    it('passes on the custom instructions and original files Rails adds when it has them', () => {
      const inputs = {
        ...GITLAB_INPUTS.review_merge_request,
        full_file_intro: ' You will also be provided with the original content of modified files.',
        full_content_section:
          '<original_files>\n<full_file filename="config/app.rb">\ntimeout = 5\n</full_file>\n</original_files>',
        custom_instructions_section: '<custom_instructions>\nCheck units of timeouts.\n</custom_instructions>\n',
      };
      for (const family of ['litellm', 'mistral']) {
        const text = textOf(variant('review_merge_request', family).render(inputs));
        for (const value of Object.values(inputs)) expect(text).toContain(value.trim());
      }
    });
  });

  it.each(['litellm', 'llama3', 'mistral'])(
    'resolve_vulnerability for %s asks for the tagged sections Rails extracts, each tag on its own line',
    (family) => {
      const text = textOf(variant('resolve_vulnerability', family).render(GITLAB_INPUTS.resolve_vulnerability));
      for (const tag of ['analysis', 'fixed_code', 'is_false_positive', 'summary', 'old_code', 'new_code']) {
        expect(text).toMatch(new RegExp(`\n<${tag}>\n[^<]*(<(?!/${tag}>)[^<]*)*\n</${tag}>(\n|$)`));
      }
    },
  );

  it.each([
    ['chat/explain_code', 'litellm', 0.1, 2048],
    ['chat/troubleshoot_job', 'mistral', 0.1, 2048],
    ['resolve_vulnerability', 'litellm', 0, 4096],
    ['resolve_vulnerability', 'llama3', 0, 2048],
    ['resolve_vulnerability', 'mistral', 0, 2048],
    ['review_merge_request', 'litellm', 0, 4096],
    ['review_merge_request', 'llama3', 0, 2048],
    ['review_merge_request', 'mistral', 0, 2048],
    ['summarize_new_merge_request', 'llama3', 0, 1024],
    ['generate_commit_message', 'mistral', 0, 512],
    ['model_configuration/check', 'llama3', 0, 12],
    ['model_configuration/check', 'mistral', 0, 12],
  ])('gives %s for %s temperature %d and max_tokens %d', (id, family, temperature, maxTokens) => {
    expect(variant(id, family).params).toEqual({
      temperature,
      maxTokens,
      stop: undefined,
      topP: undefined,
      timeoutS: 60,
    });
  });

  it.each(['llama3', 'mistral'])('asks a %s model for "ok" in the connection check', (family) => {
    expect(textOf(variant('model_configuration/check', family).render({}))).toContain('Reply with the word "ok".');
  });
});
