import { PromptRegistry } from '../apps/gateway/src/prompts/prompt-registry';
import { RecordedRequest } from './fakes/openai-compatible.server';
import { CC_FILE, ccBody } from './helpers/code-suggestion-bodies';
import { useGatewayStack } from './helpers/gateway-stack';
import { authHeaders } from './helpers/tokens';

const jsonOf = (response: Response): Promise<any> => response.json() as Promise<any>;

/** http-api.md §2.1–2.5, §6.3, §6.6 and §10 checks 10, 15–22 against the booted app and a stand-in vLLM. */
describe('POST /v2/code/completions (self-hosted models)', () => {
  const stack = useGatewayStack();
  beforeEach(() => stack.model.script({ text: 'return a + b' }));

  const cc = (overrides: Record<string, unknown> = {}) => ccBody(stack.model.url, overrides);
  const post = (body: unknown, path = '/v2/code/completions', extra: Record<string, string> = {}) =>
    stack.post(path, body, stack.headers(undefined, extra));
  /** Posts and returns the one upstream request it caused. */
  async function upstreamOf(body: unknown): Promise<{ response: Response; json: any; upstream: RecordedRequest }> {
    const seen = stack.model.requests.length;
    const response = await post(body);
    const json = await response.json();
    expect(stack.model.requests).toHaveLength(seen + 1);
    return { response, json, upstream: stack.model.requests[seen] };
  }
  const systemText = (family: string) =>
    stack.gateway.app
      .get(PromptRegistry)
      .resolve('code_suggestions/completions', family)
      .render({ prefix: '', suffix: '' })[0].content;

  it('sends the GitLab-shaped codestral request to the model and answers the envelope (issue 5 "Done when")', async () => {
    const { response, json, upstream } = await upstreamOf({
      prompt_version: 2,
      project_path: 'group/app',
      project_id: 42,
      model_provider: 'litellm',
      current_file: { ...CC_FILE, file_name: 'app.py', language_identifier: 'python' },
      model_name: 'codestral',
      prompt: null,
      model_endpoint: stack.model.url,
      model_api_key: 'sk-x',
      model_identifier: 'custom_openai/Codestral-22B-v0.1',
      stream: false,
      context: [],
      choices_count: 0,
      intent: 'completion',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.headers.authorization).toBe('Bearer sk-x');
    expect(upstream.body).toEqual({
      model: 'Codestral-22B-v0.1',
      messages: [
        { role: 'system', content: systemText('codestral') },
        { role: 'user', content: '<s>[SUFFIX]\n[PREFIX]def add(a, b):\n    ' },
      ],
      temperature: 0.32,
      max_tokens: 64,
      stop: ['[INST]', '[/INST]', '[PREFIX]', '[MIDDLE]', '[SUFFIX]'],
      stream: false,
      n: 1,
    });
    expect(json).toEqual({
      id: 'id',
      model: {
        engine: 'agent',
        name: 'Codestral 22B Code Completions',
        lang: 'python',
        tokens_consumption_metadata: {
          input_tokens: 6,
          output_tokens: 0,
          context_tokens_sent: 0,
          context_tokens_used: 0,
        },
        region: '',
      },
      experiments: [],
      object: 'text_completion',
      created: expect.any(Number),
      choices: [{ text: 'return a + b', index: 0, finish_reason: 'length' }],
      metadata: { enabled_feature_flags: [] },
    });
    expect(Math.abs(json.created - Date.now() / 1000)).toBeLessThan(60);
  });

  it('sends codegemma as a text completion with its FIM layout (§10 checks 15–16)', async () => {
    const { json, upstream } = await upstreamOf(cc());
    expect(upstream.path).toBe('/v1/completions');
    expect(upstream.headers.authorization).toBe('Bearer k');
    expect(upstream.body).toEqual({
      model: 'codegemma',
      prompt: '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>',
      temperature: 0.95,
      max_tokens: 128,
      stop: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'],
      stream: false,
      n: 1,
    });
    expect(json.model).toMatchObject({ engine: 'agent', name: 'Codegemma Code Completions', lang: 'python' });
    expect(json.choices).toEqual([{ text: 'return a + b', index: 0, finish_reason: 'length' }]);
  });

  it.each([
    [
      'codellama',
      '<PRE> def add(a, b):\n     <SUF> \n <MID>',
      0.95,
      128,
      ['<PRE>', '<SUF>', '<MID>', '<EOT>'],
      'Codellama 13B-Code Code Completions',
    ],
    [
      'deepseekcoder',
      '<｜fim▁begin｜>def add(a, b):\n    <｜fim▁hole｜>\n<｜fim▁end｜>',
      0,
      128,
      undefined,
      'DeepSeekCoder Code Completions',
    ],
    [
      'mistral',
      '<s>[SUFFIX]\n[PREFIX]def add(a, b):\n    ',
      0,
      128,
      ['[INST]', '[/INST]', '[PREFIX]', '[MIDDLE]', '[SUFFIX]'],
      'Mistral 7B Instruct Code Completions',
    ],
    [
      'mixtral',
      '<s>[SUFFIX]\n[PREFIX]def add(a, b):\n    ',
      0,
      128,
      ['[INST]', '[/INST]', '[PREFIX]', '[MIDDLE]', '[SUFFIX]'],
      'Mixtral Instruct Code Completions',
    ],
  ])('sends %s its FIM prompt (§10 check 19)', async (family, prompt, temperature, maxTokens, stop, name) => {
    const { json, upstream } = await upstreamOf(cc({ model_name: family }));
    expect(upstream.path).toBe('/v1/completions');
    expect(upstream.body).toEqual({
      model: family,
      prompt,
      temperature,
      max_tokens: maxTokens,
      ...(stop ? { stop } : {}),
      stream: false,
      n: 1,
    });
    expect(json.model.name).toBe(name);
  });

  it('sends codestral with an identifier to chat completions (§10 check 18)', async () => {
    const { upstream } = await upstreamOf(cc({ model_name: 'codestral', model_identifier: 'custom_openai/cs-22b' }));
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.body).toMatchObject({ model: 'cs-22b', max_tokens: 64, temperature: 0.32 });
    expect(upstream.body.messages.map((message: { role: string }) => message.role)).toEqual(['system', 'user']);
    expect(upstream.body.messages[1].content).toBe('<s>[SUFFIX]\n[PREFIX]def add(a, b):\n    ');
  });

  it('undoes Mixtral underscore escapes', async () => {
    stack.model.script({ text: 'my\\_var = 1' });
    const { json } = await upstreamOf(cc({ model_name: 'mixtral' }));
    expect(json.choices[0].text).toBe('my_var = 1');
  });

  it('answers choices [] and no token metadata when the model says nothing (§10 check 17)', async () => {
    stack.model.script({ text: '' });
    const { response, json } = await upstreamOf(cc());
    expect(response.status).toBe(200);
    expect(json.choices).toEqual([]);
    expect(json.model.tokens_consumption_metadata).toBeNull();
  });

  it('serves the /v2/completions alias and ignores unknown fields', async () => {
    const response = await post(
      cc({ intent: 'generation', choices_count: 3, unknown: { deep: true } }),
      '/v2/completions',
    );
    expect(response.status).toBe(200);
    expect((await jsonOf(response)).choices[0].text).toBe('return a + b');
  });

  it('prepends code context and truncates prefix and suffix to the 2 048-token budget (§2.4–2.5)', async () => {
    const above = `${'#'.repeat(4000)}${'a'.repeat(1905 * 4)}`;
    const below = `${'b'.repeat(143 * 4)}${'c'.repeat(4000)}`;
    const body = cc({
      current_file: { file_name: 'a.rb', content_above_cursor: above, content_below_cursor: below },
      context: [{ type: 'file', name: 'x.rb', content: 'ctx' }],
    });
    const { json, upstream } = await upstreamOf(body);
    expect(upstream.body.prompt).toBe(
      `<|fim_prefix|>${'a'.repeat(1905 * 4)}<|fim_suffix|>${'b'.repeat(143 * 4)}<|fim_middle|>`,
    );
    expect(json.model.lang).toBe('ruby');
    expect(json.model.tokens_consumption_metadata).toEqual({
      input_tokens: 2048,
      output_tokens: 0,
      context_tokens_sent: 1,
      context_tokens_used: 0,
    });

    const small = await upstreamOf(
      cc({
        context: [
          { type: 'file', name: 'x.py', content: 'import os' },
          { type: 'file', name: 'y.py', content: 'import re' },
        ],
      }),
    );
    expect(small.upstream.body.prompt).toBe(
      '<|fim_prefix|>import os\nimport re\ndef add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>',
    );
    expect(small.json.model.tokens_consumption_metadata).toMatchObject({
      context_tokens_sent: 5,
      context_tokens_used: 5,
    });
  });

  it.each([
    ['a v2 prompt', { prompt: 'ignored' }],
    ['prompt_version 1', { prompt_version: 1, prompt: undefined }],
    ['a v3 message prompt', { prompt_version: 3, prompt: [{ role: 'user', content: 'ignored' }] }],
  ])('takes the registry prompt for %s too (gitlab-versions.md §3; was the legacy text path)', async (_name, body) => {
    const { json, upstream } = await upstreamOf(cc({ ...body, model_identifier: 'custom_openai/gemma-7b' }));
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.body).toMatchObject({
      model: 'gemma-7b',
      messages: [{ role: 'user', content: '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>' }],
      max_tokens: 128,
    });
    expect(json.model).toMatchObject({ engine: 'agent', name: 'Codegemma Code Completions', region: '' });
  });

  it('cancels the model call when the client leaves before the whole answer', async () => {
    stack.model.script({ stall: true });
    const seen = stack.model.requests.length;
    const client = new AbortController();
    const init = { method: 'POST', headers: stack.headers(), body: JSON.stringify(cc()), signal: client.signal };
    const response = fetch(`${stack.gateway.baseUrl}/v2/code/completions`, init);
    const upstream = (await stack.model.waitForRequests(seen + 1))[seen];
    client.abort();
    await expect(response).rejects.toThrow();
    await expect(upstream.closed).resolves.toBe('aborted');
  });

  describe('validation (§0.1, §2.1)', () => {
    async function detailOf(body: unknown): Promise<any> {
      const response = await post(body);
      expect(response.status).toBe(422);
      return (await jsonOf(response)).detail;
    }

    it('rejects a name GitLab no longer sends with the Pydantic value error (replaces §10 check 21)', async () => {
      const [issue] = await detailOf(cc({ model_name: 'claude_3.5' }));
      expect(issue).toMatchObject({
        type: 'value_error',
        loc: ['body', 2, 'model_name'],
        msg: 'Value error, model claude_3.5 is not supported by use case code completions and provider litellm',
        input: 'claude_3.5',
      });
    });

    it('rejects a missing prompt_version as union_tag_not_found (§10 check 22)', async () => {
      const { prompt_version: _omitted, ...body } = cc();
      expect(await detailOf(body)).toEqual([
        {
          type: 'union_tag_not_found',
          loc: ['body'],
          msg: "Unable to extract tag using discriminator 'prompt_version'",
          input: { ...body, model_api_key: '**********' },
          ctx: { discriminator: "'prompt_version'" },
        },
      ]);
    });

    it('never echoes the API key in a 422 body', async () => {
      const key = 'sk-never-echo-0123456789';
      const { prompt_version: _omitted, ...untagged } = cc({ model_api_key: key });
      const bodies = [
        untagged,
        cc({ prompt_version: '2', model_api_key: key }),
        cc({ model_name: 'claude_3.5', model_api_key: key }),
        cc({ model_api_key: [key] }),
      ];
      for (const body of bodies) {
        const response = await post(body);
        expect(response.status).toBe(422);
        expect(await response.text()).not.toContain(key);
      }
    });

    it('rejects the string "2" as union_tag_invalid', async () => {
      const [issue] = await detailOf(cc({ prompt_version: '2' }));
      expect(issue).toMatchObject({
        type: 'union_tag_invalid',
        loc: ['body'],
        msg: "Input tag '2' found using 'prompt_version' does not match any of the expected tags: 1, 2, 3",
        ctx: { discriminator: "'prompt_version'", tag: '2', expected_tags: '1, 2, 3' },
      });
    });

    it('rejects oversize content (§10 check 22)', async () => {
      const [issue] = await detailOf(cc({ current_file: { ...CC_FILE, content_above_cursor: 'x'.repeat(100_001) } }));
      expect(issue).toMatchObject({
        type: 'string_too_long',
        loc: ['body', 2, 'current_file', 'content_above_cursor'],
        msg: 'String should have at most 100000 characters',
      });
    });

    it('reports every wrong type in one list', async () => {
      const detail = await detailOf(
        cc({
          stream: 'sometimes',
          project_id: 'abc',
          current_file: { file_name: 7, content_above_cursor: '' },
          context: [{}],
        }),
      );
      expect(detail.map((issue: { type: string; loc: unknown[] }) => [issue.type, issue.loc.join('.')])).toEqual([
        ['int_type', 'body.2.project_id'],
        ['string_type', 'body.2.current_file.file_name'],
        ['missing', 'body.2.current_file.content_below_cursor'],
        ['bool_type', 'body.2.stream'],
        ['missing', 'body.2.context.0.type'],
        ['missing', 'body.2.context.0.name'],
        ['missing', 'body.2.context.0.content'],
      ]);
    });

    it('refuses an endpoint that is not http(s) even when the identifier routes to Bedrock', async () => {
      for (const model_identifier of [null, 'bedrock/anthropic.claude-3-haiku-20240307-v1:0']) {
        const response = await post(cc({ model_endpoint: 'ftp://vllm.internal/v1', model_identifier }));
        expect(response.status).toBe(422);
        expect(await jsonOf(response)).toEqual({ detail: 'model_endpoint must use http or https' });
      }
    });
  });

  it('answers 403 without complete_code (§10 check 10)', async () => {
    const response = await post(cc(), '/v2/code/completions', authHeaders(stack.gitlab, ['duo_chat']));
    expect(response.status).toBe(403);
    expect(await jsonOf(response)).toEqual({ detail: 'Unauthorized to access code completions' });
  });

  it("echoes enabled feature flags minus the realm's disallowed ones (§9.9)", async () => {
    const response = await post(cc(), '/v2/code/completions', {
      'x-gitlab-enabled-feature-flags': 'a,expanded_ai_logging,a',
    });
    expect((await jsonOf(response)).metadata).toEqual({ enabled_feature_flags: ['a', 'expanded_ai_logging'] });
  });

  it('counts code suggestion metrics, telemetry included (§5.3)', async () => {
    const telemetry = [
      {
        model_engine: 'agent',
        model_name: 'x',
        lang: 'python',
        experiments: [{ name: 'e', variant: 1 }],
        requests: 3,
        accepts: 2,
        errors: 1,
      },
    ];
    expect((await post(cc({ telemetry }))).status).toBe(200);
    const metrics = await (await fetch(stack.gateway.metricsUrl)).text();
    expect(metrics).toContain(
      'code_suggestions_accepts_total{model_engine="agent",model_name="other",lang="python",exp_names="other",exp_variants="other"} 2',
    );
    expect(metrics).toMatch(
      /code_suggestions_inference_requests_total\{model_engine="agent",model_name="Codegemma Code Completions"\} \d+/,
    );
    expect(metrics).toMatch(
      /code_suggestions_prompt_language_total\{lang="python",extension="py",editor_lang=""\} \d+/,
    );
    expect(metrics).toMatch(
      /model_inferences_total\{model_engine="agent",model_name="codegemma",[^}]*feature_category="code_suggestions"\} \d+/,
    );
  });
});
