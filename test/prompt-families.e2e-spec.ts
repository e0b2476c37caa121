import { FakeOidcProvider } from './fakes/oidc-provider';
import { OpenAiFake, RecordedRequest, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { railsReaderJson, railsReviewComments } from './helpers/rails-response-parsers';
import { authHeaders } from './helpers/tokens';

const SCOPES = [
  'ask_issue',
  'ask_epic',
  'fix_code',
  'explain_code',
  'resolve_vulnerability',
  'review_merge_request',
  'generate_commit_message',
  'summarize_new_merge_request',
  'complete_code',
];
const JSON_START = '```json\n{\n  "ResourceIdentifierType": "';
const DIFF = '@@ -1 +1 @@\n-timeout = 5\n+timeout = 30';
const SELECTED = 'def add(a, b):\n    return a - b';

interface Sent {
  model: string;
  roles: string[];
  text: string;
  last: string;
  temperature: number;
  max_tokens: number;
  stop?: string[];
}

/**
 * The family variants of gitlab-versions.md §4 through `POST /v1/prompts/{id}`, with `inputs` as GitLab Rails
 * sends them: what an OpenAI-compatible model server receives for each family, and what Rails gets back.
 */
describe('prompt family variants (booted app, stand-in model server)', () => {
  let gateway: TestGateway;
  let gitlab: FakeOidcProvider;
  let model: OpenAiFake;

  beforeAll(async () => {
    [gitlab, model] = await Promise.all([FakeOidcProvider.start(), startOpenAiFake()]);
    gateway = await startGateway({ AIGW_GITLAB_URL: gitlab.issuer, AIGW_CUSTOM_MODELS__ENABLED: 'true' });
  });
  afterAll(() => Promise.all([gateway.close(), model.close(), gitlab.close()]));

  /** Invokes a prompt as Rails does for a self-hosted model named `name`; the answer and what the model got. */
  async function invoke(id: string, name: string, inputs: Record<string, unknown>, identifier = '') {
    const seen = model.requests.length;
    const response = await fetch(`${gateway.baseUrl}/v1/prompts/${id}`, {
      method: 'POST',
      headers: { ...authHeaders(gitlab, SCOPES), 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs,
        prompt_version: '^1.0.0',
        model_metadata: { provider: 'openai', name, endpoint: model.url, api_key: 'k', identifier },
      }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as string;
    return { answer, sent: sentBy(model.requests[seen]) };
  }

  function sentBy(request: RecordedRequest): Sent {
    expect(request.path).toBe('/v1/chat/completions');
    const body = request.body as Record<string, unknown>;
    const messages = body.messages as Array<{ role: string; content: string }>;
    return {
      model: body.model as string,
      roles: messages.map((message) => message.role),
      text: messages.map((message) => message.content).join('\n'),
      last: messages.at(-1)!.content,
      temperature: body.temperature as number,
      max_tokens: body.max_tokens as number,
      stop: body.stop as string[] | undefined,
    };
  }

  it('general (litellm): a reader ends its user message where Rails continues the JSON, and Rails parses the reply', async () => {
    model.script({ text: 'iid",\n  "ResourceIdentifier": 12\n}\n' });
    const { answer, sent } = await invoke(
      'chat/issue_reader',
      'general',
      { input: 'What is issue #12 about?', suggestions: 'I need to read issue #12.' },
      'custom_openai/gpt-oss-20b',
    );
    expect(sent).toMatchObject({
      model: 'gpt-oss-20b',
      roles: ['system', 'user'],
      temperature: 0,
      max_tokens: 256,
      stop: ['```', 'Question:'],
    });
    expect(sent.last).toContain('I need to read issue #12.');
    expect(sent.last).toContain('Question: What is issue #12 about?');
    expect(sent.last.endsWith(JSON_START)).toBe(true);
    expect(railsReaderJson(answer)).toEqual({ ResourceIdentifierType: 'iid', ResourceIdentifier: 12 });
  });

  it('gpt (litellm): a code task as system + user, the selection and the file in the user message', async () => {
    model.script({ text: 'It subtracts.' });
    const { answer, sent } = await invoke('chat/explain_code', 'gpt', {
      input: 'Explain this code',
      selected_text: SELECTED,
      file_content: `Here is the content of the file user is working with:\n<file>\n${SELECTED}\n</file>\n`,
      language_info: 'The code is written in Python and stored as calc.py',
    });
    expect(answer).toBe('It subtracts.');
    expect(sent).toMatchObject({ model: 'gpt', roles: ['system', 'user'], temperature: 0.1, max_tokens: 2048 });
    expect(sent.stop).toBeUndefined();
    expect(sent.text).toContain('The code is written in Python and stored as calc.py');
    expect(sent.last).toContain(`<selected_code>\n${SELECTED}\n</selected_code>`);
  });

  it('llama3: resolve_vulnerability as system + user with a 2048-token answer budget', async () => {
    model.script({ text: '<analysis>\nInjection.\n</analysis>' });
    const { sent } = await invoke('resolve_vulnerability', 'llama3', {
      name: 'SQL injection in search',
      filename: 'search.rb',
      identifiers: '<report_identifiers>\n * CWE-89\n</report_identifiers>',
      vulnerable_code: 'User.where("name = \'#{q}\'")',
      source_code: 'def search(q)\n  User.where("name = \'#{q}\'")\nend',
      vulnerability_description: 'User input reaches an SQL query unescaped.',
    });
    expect(sent).toMatchObject({ model: 'llama3', roles: ['system', 'user'], temperature: 0, max_tokens: 2048 });
    expect(sent.last).toContain('<source_code>\ndef search(q)');
    expect(sent.last).toContain('<fixed_code>\n');
    expect(sent.last).toContain('<is_false_positive>\ntrue or false\n</is_false_positive>');
  });

  it('llama3: the connection check asks for "ok" in 12 tokens at temperature 0', async () => {
    model.script({ text: 'ok' });
    const { answer, sent } = await invoke('model_configuration/check', 'llama3', {});
    expect(answer).toBe('ok');
    expect(sent).toMatchObject({ roles: ['system', 'user'], temperature: 0, max_tokens: 12 });
    expect(sent.last).toBe('Reply with the word "ok".');
  });

  it('mistral: review_merge_request in one user message, and Rails parses the review the model returns', async () => {
    const review =
      '<review>\n<comment file="config/app.rb" priority="3" old_line="" new_line="1">\n30 s is still too short.\n' +
      '<from>\ntimeout = 30\n</from>\n<to>\ntimeout = 120\n</to>\n</comment>\n</review>';
    model.script({ text: review });
    const diffLines =
      '<file_diff filename="config/app.rb">\n<line type="deleted" old_line="1" new_line="">timeout = 5</line>\n' +
      '<line type="added" old_line="" new_line="1">timeout = 30</line>\n</file_diff>';
    const { answer, sent } = await invoke('review_merge_request', 'mistral', {
      mr_title: 'Raise the request timeout',
      mr_description: 'Slow uploads time out.',
      diff_lines: diffLines,
      full_file_intro: '',
      full_content_section: '',
      custom_instructions_section: '',
    });
    expect(sent).toMatchObject({ model: 'mistral', roles: ['user'], temperature: 0, max_tokens: 2048 });
    expect(sent.last).toContain(`<git_diffs>\n${diffLines}\n</git_diffs>`);
    expect(sent.last).toContain('<mr_title>\nRaise the request timeout\n</mr_title>');
    expect(railsReviewComments(answer)).toEqual([
      expect.objectContaining({ file: 'config/app.rb', priority: '3', old_line: '', new_line: '1' }),
    ]);
  });

  it('mixtral: reaches the mistral variant (one user message) for a commit message with a 512-token budget', async () => {
    model.script({ text: 'Raise the request timeout' });
    const { answer, sent } = await invoke(
      'generate_commit_message',
      'mixtral',
      { diff: DIFF },
      'custom_openai/Mixtral-8x7B-Instruct-v0.1',
    );
    expect(answer).toBe('Raise the request timeout');
    expect(sent).toMatchObject({ model: 'Mixtral-8x7B-Instruct-v0.1', roles: ['user'], max_tokens: 512 });
    expect(sent.last).toContain(`<diff>\n${DIFF}\n</diff>`);
    expect(sent.last.startsWith('You write Git commit messages')).toBe(true);
  });

  it('codestral: its own chat variant in one user message, and the mistral variant for feature prompts', async () => {
    model.script({ text: 'Fixed.' });
    const fix = await invoke('chat/fix_code', 'codestral', {
      input: 'Fix this code',
      selected_text: SELECTED,
      file_content: '',
      language_info: '',
    });
    expect(fix.sent).toMatchObject({ model: 'codestral', roles: ['user'], temperature: 0.1, max_tokens: 2048 });
    expect(fix.sent.last).toContain(`<selected_code>\n${SELECTED}\n</selected_code>\n\nFix this code`);
    const summary = await invoke('summarize_new_merge_request', 'codestral', { extracted_diff: DIFF });
    expect(summary.sent).toMatchObject({ roles: ['user'], temperature: 0, max_tokens: 1024 });
    expect(summary.sent.last).toContain(`<changes>\n${DIFF}\n</changes>`);
  });

  it('claude_3: keeps base, a reader ending in the assistant prefill Rails continues', async () => {
    model.script({ text: 'current",\n  "ResourceIdentifier": "current"\n}\n```' });
    const { answer, sent } = await invoke('chat/epic_reader', 'claude_3', {
      input: 'Summarize this epic',
      suggestions: 'I need the epic.',
    });
    expect(sent.roles).toEqual(['system', 'user', 'assistant']);
    expect(sent.last).toBe(`I need the epic.\n\n${JSON_START}`);
    expect(railsReaderJson(answer)).toEqual({ ResourceIdentifierType: 'current', ResourceIdentifier: 'current' });
  });
});
