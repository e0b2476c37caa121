import { PromptRegistry } from '../apps/gateway/src/prompts/prompt-registry';
import { RecordedRequest } from './fakes/openai-compatible.server';
import { startGateway } from './helpers/gateway';
import { useGatewayStack } from './helpers/gateway-stack';

const jsonOf = (response: Response): Promise<any> => response.json() as Promise<any>;

/** http-api.md §2.3, §2.7, §6.4, §6.6, §8 and §10 checks 11, 25–27, 41. */
describe('POST /v2/code/generations (self-hosted models)', () => {
  const stack = useGatewayStack();
  beforeEach(() => stack.model.script({ text: 'return a + b' }));

  /** The §10 "GEN" body. */
  const gen = (overrides: Record<string, unknown> = {}) => ({
    prompt_version: 2,
    prompt_id: 'code_suggestions/generations',
    prompt: 'write add',
    model_provider: 'litellm',
    model_name: 'mistral',
    model_endpoint: stack.model.url,
    current_file: { file_name: 'a.py', content_above_cursor: '# add\n', content_below_cursor: '' },
    ...overrides,
  });
  const post = (body: unknown, headers = stack.headers()) => stack.post('/v2/code/generations', body, headers);
  async function upstreamOf(body: unknown): Promise<{ response: Response; json: any; upstream: RecordedRequest }> {
    const seen = stack.model.requests.length;
    const response = await post(body);
    const json = await response.json();
    expect(stack.model.requests).toHaveLength(seen + 1);
    return { response, json, upstream: stack.model.requests[seen] };
  }
  const rendered = (family: string, instruction = 'write add') =>
    stack.gateway.app
      .get(PromptRegistry)
      .resolve('code_suggestions/generations', family)
      .render({ prefix: '# add\n', instruction, language: undefined, file_name: 'a.py' });

  it('sends the generation prompt over chat completions (§10 check 25)', async () => {
    const { response, json, upstream } = await upstreamOf(gen());
    expect(response.status).toBe(200);
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.headers.authorization).toBe('Bearer None');
    expect(upstream.body).toEqual({
      model: 'mistral',
      messages: rendered('mistral'),
      temperature: 0.95,
      max_tokens: 512,
      stream: false,
      n: 1,
    });
    expect(upstream.body.messages.map((message: { role: string }) => message.role)).toEqual(['system', 'user']);
    expect(upstream.body.messages[1].content).toContain('# add');
    expect(upstream.body.messages[1].content).toContain('write add');
    expect(json).toEqual({
      id: 'id',
      model: {
        engine: 'agent',
        name: 'Mistral 7B Code Generations',
        lang: 'python',
        tokens_consumption_metadata: null,
        region: '',
      },
      experiments: [],
      object: 'text_completion',
      created: expect.any(Number),
      choices: [{ text: 'return a + b', index: 0, finish_reason: 'length' }],
      metadata: { enabled_feature_flags: [] },
    });
  });

  it.each([
    ['codestral', 0.3, 'Codestral 22B Code Generations'],
    ['mixtral', 0.95, 'Mixtral Code Generations'],
    ['codegemma', 0.95, 'CodeGemma Generations'],
    ['codellama', 0.95, 'Codellama 13B Code Generations'],
    ['deepseekcoder', 0.95, 'DeepSeekCoder Code Generations'],
  ])('sends %s its generation prompt', async (family, temperature, name) => {
    const { json, upstream } = await upstreamOf(
      gen({ model_name: family, model_identifier: `custom_openai/${family}-served` }),
    );
    expect(upstream.body).toEqual({
      model: `${family}-served`,
      messages: rendered(family),
      temperature,
      max_tokens: 512,
      stream: false,
      n: 1,
    });
    expect(json.model.name).toBe(name);
  });

  it.each([
    ['llama3', 'Llama 3 Code Generations'],
    ['qwen2p5-coder-7b', 'Qwen 2.5 Coder 7B Code Generations'],
    ['codestral-2508', 'Code Generations'],
    ['general', 'Code Generations'],
  ])(
    'serves %s generations with its registry prompt (gitlab-versions.md §3; llama3 was a 422)',
    async (name, promptName) => {
      const { response, json, upstream } = await upstreamOf(gen({ model_name: name }));
      expect(response.status).toBe(200);
      expect(upstream.body.model).toBe(name);
      expect(upstream.body.messages).toEqual(rendered(name));
      expect(json.model).toMatchObject({ engine: 'agent', name: promptName, region: '' });
    },
  );

  it('rejects claude_3.5, which GitLab no longer sends, with the Pydantic value error', async () => {
    const response = await post(gen({ model_name: 'claude_3.5' }));
    expect(response.status).toBe(422);
    expect((await jsonOf(response)).detail[0].msg).toBe(
      'Value error, model claude_3.5 is not supported by use case code generations and provider litellm',
    );
  });

  it.each([
    ['no endpoint', { model_endpoint: null }],
    [
      'no prompt id, no provider and no endpoint',
      { model_endpoint: undefined, model_provider: undefined, prompt_id: undefined },
    ],
  ])('answers %s with 422 naming model_endpoint before any I/O (gitlab-versions.md §2)', async (_name, fields) => {
    const seen = stack.model.requests.length;
    const response = await post(gen(fields));
    expect(response.status).toBe(422);
    expect((await jsonOf(response)).detail).toBe(
      'model_endpoint is required: the request names no model endpoint and this AI gateway has no cloud provider configured for it',
    );
    expect(stack.model.requests).toHaveLength(seen);
  });

  it('requires the prompt on prompt_version 2', async () => {
    const { prompt: _omitted, ...body } = gen();
    const response = await post(body);
    expect(response.status).toBe(422);
    expect((await jsonOf(response)).detail).toEqual([
      { type: 'missing', loc: ['body', 2, 'prompt'], msg: 'Field required', input: undefined },
    ]);
  });

  it('strips code fences (§10 check 26)', async () => {
    stack.model.script({ text: '```python\ndef add(a, b):\n    return a + b\n```\n' });
    const { json } = await upstreamOf(gen());
    expect(json.choices).toEqual([{ text: 'def add(a, b):\n    return a + b\n', index: 0, finish_reason: 'length' }]);
  });

  it('starts on a new line after an unfinished one, and drops blank output (§10 check 27)', async () => {
    const file = { file_name: 'a.py', content_above_cursor: 'x = 1', content_below_cursor: '' };
    stack.model.script({ text: 'y = 2' });
    expect((await upstreamOf(gen({ current_file: file }))).json.choices[0].text).toBe('\ny = 2');
    stack.model.script({ text: '  \n' });
    expect((await upstreamOf(gen({ current_file: file }))).json.choices).toEqual([]);
  });

  it('answers the troubleshoot script with bypass on (§8, §10 check 41)', async () => {
    const bypass = await startGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true', AIGW_CUSTOM_MODELS__ENABLED: 'true' });
    try {
      const body = {
        project_path: 'string',
        project_id: 0,
        current_file: {
          file_name: 'test.py',
          language_identifier: 'python',
          content_above_cursor: 'def hello():\n  ',
          content_below_cursor: '',
        },
        model_provider: 'litellm',
        model_endpoint: stack.model.url,
        model_api_key: 'key',
        model_identifier: 'custom_openai/Mistral-7B-Instruct-v0.3',
        model_name: 'mistral',
        telemetry: [],
        stream: false,
        choices_count: 0,
        context: [],
        agent_id: 'string',
        prompt_id: 'code_suggestions/generations',
        prompt_version: 2,
        prompt: '',
      };
      stack.model.script({ text: '```python\nprint("hello")\n```' });
      const response = await fetch(`${bypass.baseUrl}/v2/code/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      expect((await jsonOf(response)).choices).toEqual([
        { text: '\nprint("hello")\n', index: 0, finish_reason: 'length' },
      ]);
    } finally {
      await bypass.close();
    }
  });

  it('takes the legacy chat path without a prompt id (§6.6)', async () => {
    const { json, upstream } = await upstreamOf(gen({ prompt_id: null, prompt: 'write add' }));
    expect(upstream.body).toEqual({
      model: 'mistral',
      messages: [{ role: 'user', content: 'write add' }],
      temperature: 0.2,
      top_p: 0.95,
      max_tokens: 2048,
      stop: ['</new_code>'],
      stream: false,
      n: 1,
    });
    expect(upstream.headers.authorization).toBe('Bearer stubbed-api-key');
    expect(json.model).toMatchObject({ engine: 'litellm', name: 'custom_openai/mistral' });
  });

  it('wraps the prefix in a fence on prompt_version 1 (§6.6)', async () => {
    const { upstream } = await upstreamOf(gen({ prompt_version: 1, prompt_id: null, prompt: undefined }));
    expect(upstream.body.messages).toEqual([{ role: 'user', content: '```python\n# add\n\n```' }]);
  });

  it('answers 422 for an instruction over the 2 048-token limit (§9.4)', async () => {
    const response = await post(gen({ prompt: 'x'.repeat(2049 * 4) }));
    expect(response.status).toBe(422);
    expect(await jsonOf(response)).toEqual({ detail: 'prompt is 2049 tokens long; the limit is 2048 tokens' });
  });

  it('answers 403 without generate_code (§10 check 11)', async () => {
    const response = await post(gen(), stack.headers(['complete_code']));
    expect(response.status).toBe(403);
    expect(await jsonOf(response)).toEqual({ detail: 'Unauthorized to access code generations' });
  });
});
