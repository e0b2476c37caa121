import { AddressInfo, createServer } from 'node:net';
import { FakeOidcProvider } from './fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { authHeaders } from './helpers/tokens';

const jsonOf = (response: Response): Promise<any> => response.json() as Promise<any>;

/** Streaming, upstream failures, `/v3` and `/v4` (http-api.md §2.6, §2.8–2.9, §0.1; §10 checks 23–24). */
describe('code suggestions: streaming, failures, v3 and v4', () => {
  let gitlab: FakeOidcProvider;
  let model: OpenAiFake;
  let gateway: TestGateway;
  let headers: Record<string, string>;

  beforeAll(async () => {
    [gitlab, model] = await Promise.all([FakeOidcProvider.start(), startOpenAiFake()]);
    gateway = await startGateway({
      AIGW_GITLAB_URL: gitlab.issuer,
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      AIGW_MODEL_CLIENT__READ_TIMEOUT_S: '0.5',
    });
    headers = { ...authHeaders(gitlab), 'content-type': 'application/json' };
  });
  afterAll(() => Promise.all([gateway.close(), model.close(), gitlab.close()]));

  const file = { file_name: 'a.py', content_above_cursor: 'def add(a, b):\n    ', content_below_cursor: '\n' };
  const cc = (overrides: Record<string, unknown> = {}) => ({
    prompt_version: 2,
    prompt: null,
    model_provider: 'litellm',
    model_name: 'codegemma',
    model_endpoint: model.url,
    model_api_key: 'k',
    current_file: file,
    ...overrides,
  });
  const post = (path: string, body: unknown, init: RequestInit = {}, base = gateway) =>
    fetch(`${base.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body), ...init });

  it('streams raw text deltas (§10 check 23)', async () => {
    model.script({ chunks: ['ret', 'urn', ' a + b'] });
    const response = await post('/v2/code/completions', cc({ stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await response.text()).toBe('return a + b');
    expect(model.requests[model.requests.length - 1].body).toMatchObject({ stream: true });
  });

  it('forwards the first chunk before the model finishes, and a client abort closes the upstream request', async () => {
    model.script({ chunks: ['ret', 'urn'], stallAfterChunks: 1 });
    const seen = model.requests.length;
    const client = new AbortController();
    const response = await post('/v2/code/completions', cc({ stream: true }), { signal: client.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('ret');
    const upstream = (await model.waitForRequests(seen + 1))[seen];
    client.abort();
    await expect(upstream.closed).resolves.toBe('aborted');
  });

  it('ends the stream cleanly when the model fails after the first chunk', async () => {
    model.script({ chunks: ['ret', 'urn', ' a + b'], cutAfterChunks: 2 });
    const response = await post('/v2/code/generations', {
      ...cc({ stream: true }),
      prompt_id: 'code_suggestions/generations',
      prompt: 'add',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ret');
  });

  describe('upstream failures answer 503 {"detail": "Inference failed"}, never a partial body (§0.1, §10 check 24)', () => {
    async function expectInferenceFailed(response: Response): Promise<void> {
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await jsonOf(response)).toEqual({ detail: 'Inference failed' });
    }

    it.each([
      ['a 500', { status: 500 }],
      ['a 401', { status: 401 }],
      ['silence past the read timeout', { stall: true }],
      ['a garbage body', { rawBody: ['<html>not json'] }],
    ])('on %s', async (_case, reply) => {
      model.script(reply);
      await expectInferenceFailed(await post('/v2/code/completions', cc()));
    });

    it('on a garbage stream, before any byte reached the client', async () => {
      model.script({ rawBody: ['data: {not json\n\n'] });
      await expectInferenceFailed(await post('/v2/code/completions', cc({ stream: true })));
    });

    it('when the model server is unreachable', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      await expectInferenceFailed(
        await post('/v2/code/completions', cc({ model_endpoint: `http://127.0.0.1:${port}/v1` })),
      );
    });
  });

  describe('/v3/code/completions and /v4/code/suggestions (§2.8–2.9, §9.8)', () => {
    const component = (type: string, payload: Record<string, unknown> = {}) => ({
      type,
      payload: { ...file, ...payload },
      metadata: { source: 'gitlab', version: '18.0.0' },
    });
    const v3 = (type: string, payload: Record<string, unknown> = {}) => ({
      prompt_components: [component(type, payload)],
      model_metadata: { provider: 'openai', name: 'codegemma', endpoint: model.url, api_key: 'k' },
    });

    it('answers the v3 envelope for a completion', async () => {
      model.script({ text: 'return a + b' });
      const response = await post('/v3/code/completions', v3('code_editor_completion'));
      expect(response.status).toBe(200);
      expect(await jsonOf(response)).toEqual({
        choices: [{ text: 'return a + b', index: 0, finish_reason: 'length' }],
        metadata: {
          model: { engine: 'agent', name: 'Codegemma Code Completions', lang: 'python', region: '' },
          timestamp: expect.any(Number),
          enabled_feature_flags: [],
        },
      });
      expect(model.requests[model.requests.length - 1].body.prompt).toBe(
        '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>',
      );
    });

    it('uses code_context components from Language Server 6.3.0 on', async () => {
      const body = {
        ...v3('code_editor_completion'),
        prompt_components: [
          component('code_editor_completion'),
          { type: 'code_context', payload: { type: 'file', name: 'b.py', content: 'import os' } },
        ],
      };
      await post('/v3/code/completions', body, {
        headers: { ...headers, 'x-gitlab-language-server-version': '6.3.0' },
      });
      expect(model.requests[model.requests.length - 1].body.prompt).toContain('<|fim_prefix|>import os\ndef add');
      await post('/v3/code/completions', body, {
        headers: { ...headers, 'x-gitlab-language-server-version': '6.2.9' },
      });
      expect(model.requests[model.requests.length - 1].body.prompt).toContain('<|fim_prefix|>def add');
    });

    it('never echoes the API key in a 422 body', async () => {
      const key = 'sk-never-echo-0123456789';
      const bodies = [
        {
          ...v3('code_editor_completion'),
          model_metadata: {
            provider: 'openai',
            name: 'codegemma',
            endpoint: model.url,
            api_key: `${key}${'x'.repeat(2000)}`,
          },
        },
        { prompt_components: [{ type: 'nope', payload: { ...file, model_api_key: key } }] },
      ];
      for (const body of bodies) {
        const response = await post('/v3/code/completions', body);
        expect(response.status).toBe(422);
        expect(await response.text()).not.toContain(key);
      }
    });

    it('validates each component by its type', async () => {
      const response = await post('/v3/code/completions', {
        prompt_components: [
          { type: 'nope', payload: {} },
          { type: 'code_context', payload: { name: 'x' } },
        ],
      });
      expect(response.status).toBe(422);
      const detail = (await jsonOf(response)).detail;
      expect(detail.map((issue: { type: string; loc: unknown[] }) => [issue.type, issue.loc])).toEqual([
        ['union_tag_invalid', ['body', 'prompt_components', 0]],
        ['missing', ['body', 'prompt_components', 1, 'code_context', 'payload', 'type']],
        ['missing', ['body', 'prompt_components', 1, 'code_context', 'payload', 'content']],
      ]);
    });

    it('streams v4 generations as SSE with CRLF framing and Python JSON', async () => {
      model.script({ chunks: ['def ', 'add'] });
      const response = await post(
        '/v4/code/suggestions',
        v3('code_editor_generation', { stream: true, prompt: 'write add' }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(response.headers.get('x-streaming-format')).toBe('sse');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('x-accel-buffering')).toBe('no');
      const body = await response.text();
      expect(body.replace(/"timestamp": \d+/, '"timestamp": 0')).toBe(
        'event: stream_start\r\ndata: {"metadata": {"model": {"engine": "agent", "name": "CodeGemma Generations", "region": ""}, "timestamp": 0, "enabled_feature_flags": []}}\r\n\r\n' +
          'event: content_chunk\r\ndata: {"choices": [{"delta": {"content": "def "}, "index": 0}]}\r\n\r\n' +
          'event: content_chunk\r\ndata: {"choices": [{"delta": {"content": "add"}, "index": 0}]}\r\n\r\n' +
          'event: stream_end\r\ndata: null\r\n\r\n',
      );
      expect(model.requests[model.requests.length - 1].path).toBe('/v1/chat/completions');
    });

    it('answers a v4 failure before the first chunk with an error status', async () => {
      model.script({ status: 500 });
      const response = await post('/v4/code/suggestions', v3('code_editor_generation', { stream: true }));
      expect(response.status).toBe(503);
    });

    it('answers 403 without complete_code', async () => {
      const response = await post('/v4/code/suggestions', v3('code_editor_completion'), {
        headers: { ...authHeaders(gitlab, ['duo_chat']), 'content-type': 'application/json' },
      });
      expect(response.status).toBe(403);
      expect(await jsonOf(response)).toEqual({ detail: 'Unauthorized to access code suggestions' });
    });
  });

  describe('with AIGW_CUSTOM_MODELS__DISABLE_STREAMING=true (§2.6)', () => {
    let noStreaming: TestGateway;
    beforeAll(async () => {
      noStreaming = await startGateway({
        AIGW_GITLAB_URL: gitlab.issuer,
        AIGW_CUSTOM_MODELS__ENABLED: 'true',
        AIGW_CUSTOM_MODELS__DISABLE_STREAMING: 'true',
      });
    });
    afterAll(() => noStreaming.close());

    it('still streams the registry path, as one chunk of the whole text', async () => {
      model.script({ chunks: ['ret', 'urn'] });
      const response = await post('/v2/code/completions', cc({ stream: true }), {}, noStreaming);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(await response.text()).toBe('return');
      expect(model.requests[model.requests.length - 1].body.stream).toBe(false);
    });

    it('answers the legacy generation path with the JSON envelope', async () => {
      model.script({ text: 'return a + b' });
      const response = await post(
        '/v2/code/generations',
        { ...cc({ stream: true, prompt: 'write add', model_identifier: 'custom_openai/g' }), model_name: 'mistral' },
        {},
        noStreaming,
      );
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      // Post-processed as a generation: a leading newline, the prefix not ending in one (http-api.md §2.7).
      expect((await jsonOf(response)).choices[0].text).toBe('\nreturn a + b');
    });
  });
});
