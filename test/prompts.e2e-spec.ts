import { PromptRegistry } from '../apps/gateway/src/prompts/prompt-registry';
import { startGateway, TestGateway } from './helpers/gateway';
import { useGatewayStack } from './helpers/gateway-stack';

/** The self-hosted model names of gitlab-versions.md §2, `general` first: the others are compared with it. */
const MODELS = [
  'general',
  'claude_3',
  'codegemma',
  'codellama',
  'codestral',
  'codestral-2501',
  'deepseekcoder',
  'gpt',
  'llama3',
  'mistral',
  'mixtral',
  'qwen2p5-coder-7b',
];

/** Every variable some prompt reads, short, so each rendering shows where its inputs land. */
const INPUTS = {
  input: 'What does this do?',
  selected_text: 'x = 1',
  file_content: 'y = 2',
  language_info: 'The code is written in Python.',
  file_content_reuse: 'Reuse the file content.',
  notes_content: 'Note A. Note B.',
  title: 'SQL injection',
  identifiers: 'CWE-89',
  vulnerability_info: 'Query built from input.',
  diff: '-a\n+b',
  prefix: 'def add(a, b):\n    ',
  suffix: '\n',
  instruction: 'write add',
  language: 'python',
  file_name: 'a.py',
  question: 'How do I rebase?',
  suggestions: 'I need the issue.',
  mr_title: 'Raise the timeout',
  mr_description: 'Uploads time out.',
  diff_lines: '<file_diff filename="a.py">\n<line type="added" old_line="" new_line="1">t = 30</line>\n</file_diff>',
  name: 'SQL injection',
  filename: 'search.rb',
  vulnerable_code: 'where("#{q}")',
  source_code: 'def search(q)\n  where("#{q}")\nend',
  vulnerability_description: 'Input reaches SQL.',
  extracted_diff: '-t = 5\n+t = 30',
};

describe('POST /v1/prompts/{prompt_id} (booted app, stand-in model server)', () => {
  const stack = useGatewayStack();
  beforeEach(() => stack.model.script({ text: 'ok' }));

  const metadata = (name = 'mistral') => ({ provider: 'openai', name, endpoint: stack.model.url, api_key: 'k' });
  const invoke = (path: string, body: unknown, headers = stack.headers()) =>
    stack.post(`/v1/prompts/${path}`, body, headers);

  it.each(['model_configuration/check', 'model_configuration%2Fcheck'])(
    'runs the model check at %s and answers a JSON string (§10 check 34)',
    async (path) => {
      stack.model.script({ text: 'ok "fine"' });
      const seen = stack.model.requests.length;
      const response = await invoke(path, { inputs: {}, model_metadata: metadata() });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.text()).toBe('"ok \\"fine\\""');
      const [request] = stack.model.requests.slice(seen);
      expect(request.path).toBe('/v1/chat/completions');
      expect(request.headers.authorization).toBe('Bearer k');
      expect(request.body).toMatchObject({ model: 'mistral', max_tokens: 12, temperature: 0, stream: false });
    },
  );

  it('streams raw text chunks as text/event-stream', async () => {
    stack.model.script({ chunks: ['ret', 'urn', ' a + b'] });
    const response = await invoke('code_suggestions%2Fcompletions', {
      inputs: { prefix: 'def add(a, b):\n    ', suffix: '' },
      model_metadata: metadata('codestral'),
      stream: true,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-process-time')).not.toBeNull();
    expect(await response.text()).toBe('return a + b');
  });

  it('cancels the model call when the client leaves before the whole answer', async () => {
    stack.model.script({ stall: true });
    const seen = stack.model.requests.length;
    const client = new AbortController();
    const body = JSON.stringify({ inputs: {}, model_metadata: metadata() });
    const response = fetch(`${stack.gateway.baseUrl}/v1/prompts/model_configuration/check`, {
      method: 'POST',
      headers: stack.headers(),
      body,
      signal: client.signal,
    });
    const upstream = (await stack.model.waitForRequests(seen + 1))[seen];
    client.abort();
    await expect(response).rejects.toThrow();
    await expect(upstream.closed).resolves.toBe('aborted');
  });

  it('answers 404 for an unknown prompt id (§10 check 35)', async () => {
    const response = await invoke('does/not/exist', { inputs: {} });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: "Prompt 'does/not/exist' not found" });
  });

  it('answers 422 for a bad version constraint and for the ReAct prompt (§10 check 36)', async () => {
    const badVersion = await invoke('model_configuration/check', {
      inputs: {},
      model_metadata: metadata(),
      prompt_version: '!!',
    });
    expect(badVersion.status).toBe(422);
    expect(await badVersion.json()).toEqual({ detail: 'Invalid version constraint' });
    const react = await invoke('chat/react', { inputs: {}, model_metadata: metadata() });
    expect(react.status).toBe(422);
    expect(await react.json()).toEqual({ detail: "Prompt 'chat/react' is not supported" });
  });

  it('never echoes the API key in a 422 body', async () => {
    const key = 'sk-never-echo-0123456789';
    const bodies = [
      { inputs: {}, model_metadata: { ...metadata(), api_key: `${key}${'x'.repeat(2000)}` } },
      { inputs: {}, model_metadata: { ...metadata(), api_key: `${key}\n` } },
      { inputs: {}, model_metadata: { ...metadata(), api_key: [key] } },
    ];
    for (const body of bodies) {
      const response = await invoke('model_configuration/check', body);
      expect(response.status).toBe(422);
      expect(await response.text()).not.toContain(key);
    }
  });

  it('answers 404 when no version satisfies the constraint (§9.4)', async () => {
    const response = await invoke('model_configuration/check', {
      inputs: {},
      model_metadata: metadata(),
      prompt_version: '^2.0.0',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: "Prompt 'model_configuration/check' not found" });
  });

  it('answers 403 when a unit primitive of the prompt is missing', async () => {
    const response = await invoke('chat/explain_code', { inputs: INPUTS, model_metadata: metadata() });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: "Unauthorized to access 'chat/explain_code'" });
  });

  it('answers 422 naming missing template variables', async () => {
    const response = await invoke('code_suggestions/completions', {
      inputs: { prefix: 'x' },
      model_metadata: metadata(),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { detail: string }).detail).toMatch(
      /^Input to ChatPromptTemplate is missing variables \{'suffix'\}/,
    );
  });

  it.each([false, true])(
    'answers 421 "<status>: <reason>" when the model server fails (stream: %s, §10 check 37)',
    async (stream) => {
      stack.model.script({ status: 401 });
      const response = await invoke('model_configuration/check', { inputs: {}, model_metadata: metadata(), stream });
      expect(response.status).toBe(421);
      expect(await response.json()).toEqual({ detail: '401: Unauthorized' });
    },
  );

  it('answers 500 when the model server cannot be reached', async () => {
    const unreachable = { ...metadata(), endpoint: 'http://127.0.0.1:9/v1' };
    const response = await invoke('model_configuration/check', { inputs: {}, model_metadata: unreachable });
    expect(response.status).toBe(500);
  });

  it('renders every prompt id for every self-hosted model name (snapshot of what the model server receives)', async () => {
    const registry = stack.gateway.app.get(PromptRegistry);
    const ids = [...new Set(registry.all().map((prompt) => prompt.id))].filter((id) => id !== 'chat/react').sort();
    const scopes = [...new Set(registry.all().flatMap((prompt) => prompt.unitPrimitives))];
    const allScopes = stack.headers(scopes);
    const received: Record<string, Record<string, unknown>> = {};
    for (const id of ids) {
      received[id] = {};
      for (const name of MODELS) {
        const seen = stack.model.requests.length;
        const response = await invoke(id, { inputs: INPUTS, model_metadata: metadata(name) }, allScopes);
        expect({ id, name, status: response.status }).toEqual({ id, name, status: 200 });
        const { messages, temperature, max_tokens, stop } = stack.model.requests[seen].body;
        const sent = { messages, temperature, max_tokens, stop };
        const same = JSON.stringify(sent) === JSON.stringify(received[id].general);
        received[id][name] = name !== 'general' && same ? 'same as general' : sent;
      }
    }
    expect(received).toMatchSnapshot();
  });
});

describe('POST /v1/prompts/{prompt_id} with custom models disabled', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true' });
  });
  afterAll(() => gateway.close());

  it('answers 500 for a request naming a model endpoint (§3.3)', async () => {
    const response = await fetch(`${gateway.baseUrl}/v1/prompts/model_configuration/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: {},
        model_metadata: { provider: 'openai', name: 'mistral', endpoint: 'http://127.0.0.1:9/v1' },
      }),
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('Internal Server Error');
  });
});
