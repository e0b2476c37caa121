import { formatDate } from '../apps/gateway/src/python-compat/python-date';
import { startGateway, TestGateway } from './helpers/gateway';
import { useGatewayStack } from './helpers/gateway-stack';
import { H_SCOPES } from './helpers/tokens';

const NDJSON = 'application/x-ndjson; charset=utf-8';
const ALL_TOOL_SCOPES = [
  'duo_chat',
  'ask_issue',
  'ask_epic',
  'ask_build',
  'ask_merge_request',
  'ask_commit',
  'documentation_search',
];

describe('Duo Chat: /v1/chat/{invokable} and /v2/chat/agent (booted app, stand-in model server)', () => {
  const stack = useGatewayStack();
  const { headers, post } = stack;
  beforeEach(() => stack.model.script({ text: 'ok' }));

  /** Sends a request and returns the body the model server received for it. */
  const upstreamBodyOf = async (send: () => Promise<Response>) => {
    const seen = stack.model.requests.length;
    const response = await send();
    await response.text();
    return stack.model.requests[seen].body;
  };

  describe('POST /v1/chat/{chat_invokable}', () => {
    const chatBody = (payload: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
      prompt_components: [
        {
          type: 'prompt',
          metadata: { source: 's', version: '1' },
          payload: {
            content: 'Hello',
            provider: 'litellm',
            model: 'mistral',
            model_endpoint: stack.model.url,
            ...payload,
          },
        },
      ],
      ...extra,
    });

    it('sends the content with the legacy LiteLLM parameters and echoes the model (§10 check 28)', async () => {
      stack.model.script({ text: 'Hi there' });
      const seen = stack.model.requests.length;
      const response = await post('/v1/chat/agent', chatBody());
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { response: string; metadata: Record<string, unknown> };
      expect(answer).toEqual({
        response: 'Hi there',
        metadata: { provider: 'litellm', model: 'mistral', timestamp: expect.any(Number) },
      });
      expect(Number.isInteger(answer.metadata.timestamp)).toBe(true);
      const request = stack.model.requests[seen];
      expect(request.path).toBe('/v1/chat/completions');
      expect(request.headers.authorization).toBe('Bearer stubbed-api-key');
      expect(request.body).toMatchObject({
        model: 'mistral',
        messages: [{ role: 'user', content: 'Hello' }],
        max_tokens: 2048,
        temperature: 0.2,
        top_p: 0.95,
        stop: ['</new_code>'],
      });
    });

    it('passes message lists through and streams raw deltas', async () => {
      stack.model.script({ chunks: ['Hel', 'lo'] });
      const content = [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ];
      const body = await upstreamBodyOf(() => post('/v1/chat/explain_code', chatBody({ content, model: 'codellama' })));
      expect(body.messages).toEqual(content);
      expect(body.stop).toBeUndefined();
      const streamed = await post('/v1/chat/explain_code', chatBody({}, { stream: true }));
      expect(streamed.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(await streamed.text()).toBe('Hello');
    });

    it('cancels the model call when the client leaves before the whole answer', async () => {
      stack.model.script({ stall: true });
      const seen = stack.model.requests.length;
      const client = new AbortController();
      const init = { method: 'POST', headers: headers(), body: JSON.stringify(chatBody()), signal: client.signal };
      const response = fetch(`${stack.gateway.baseUrl}/v1/chat/agent`, init);
      const upstream = (await stack.model.waitForRequests(seen + 1))[seen];
      client.abort();
      await expect(response).rejects.toThrow();
      await expect(upstream.closed).resolves.toBe('aborted');
    });

    it('answers 404 for an unknown invokable and 422 for two components (§10 check 29)', async () => {
      const unknown = await post('/v1/chat/nope', chatBody());
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ detail: 'Not found' });
      const body = chatBody();
      const twice = await post('/v1/chat/agent', {
        prompt_components: [...body.prompt_components, ...body.prompt_components],
      });
      expect(twice.status).toBe(422);
    });

    it('never echoes the API key in a 422 body', async () => {
      const key = 'sk-never-echo-0123456789';
      const body = chatBody({ model_api_key: key });
      const bodies = [
        { prompt_components: [...body.prompt_components, ...body.prompt_components] },
        chatBody({ model_api_key: [key] }),
      ];
      for (const invalid of bodies) {
        const response = await post('/v1/chat/agent', invalid);
        expect(response.status).toBe(422);
        expect(await response.text()).not.toContain(key);
      }
    });

    it('checks the invokable unit primitive', async () => {
      const response = await post('/v1/chat/explain_vulnerability', chatBody());
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ detail: 'Unauthorized to access explain_vulnerability' });
    });
  });

  describe('POST /v2/chat/agent', () => {
    const agentBody = (extra: Record<string, unknown> = {}, name = 'mistral') => ({
      messages: [{ role: 'user', content: 'hi' }],
      model_metadata: { provider: 'openai', name, endpoint: stack.model.url },
      ...extra,
    });
    const events = async (response: Response) =>
      (await response.text())
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });

    it('streams final answer deltas as NDJSON with Python spacing (§10 check 30)', async () => {
      stack.model.script({ chunks: ['x\nFinal Answer: Hel', 'lo world'] });
      const seen = stack.model.requests.length;
      const response = await post('/v2/chat/agent', agentBody());
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(NDJSON);
      const text = await response.text();
      expect(text).toBe(
        '{"type": "final_answer_delta", "data": {"text": "Hel"}}\n{"type": "final_answer_delta", "data": {"text": "lo world"}}\n',
      );
      const request = stack.model.requests[seen].body;
      expect(request).toMatchObject({ stop: ['Observation:'], max_tokens: 4096, temperature: 0.1, stream: true });
      expect(request.messages.at(-1).role).toBe('assistant');
    });

    it('sends a delta as soon as the model produces it, and aborts the model call when the client leaves', async () => {
      stack.model.script({ chunks: ['x\nFinal Answer: Hel', 'lo'], stallAfterChunks: 2 });
      const seen = stack.model.requests.length;
      const response = await post('/v2/chat/agent', agentBody());
      const reader = response.body!.getReader();
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toBe('{"type": "final_answer_delta", "data": {"text": "Hel"}}\n');
      await reader.cancel();
      await expect(stack.model.requests[seen].closed).resolves.toBe('aborted');
    });

    it('reports the chosen tool as an action event (§10 check 31)', async () => {
      stack.model.script({ text: 'need issue\nAction: issue_reader\nAction Input: what is #1' });
      const response = await post('/v2/chat/agent', agentBody());
      expect(await response.text()).toBe(
        '{"type": "action", "data": {"tool": "issue_reader", "tool_input": "what is #1", "thought": "need issue"}}\n',
      );
    });

    it('answers "tool not available" for a tool the caller may not use (§10 check 32)', async () => {
      stack.model.script({ text: 'need issue\nAction: issue_reader\nAction Input: what is #1' });
      const response = await post('/v2/chat/agent', agentBody(), headers(['duo_chat']));
      expect(await response.text()).toBe(
        '{"type": "error", "data": {"message": "tool not available", "retryable": false}}\n',
      );
    });

    it('answers 403 without duo_chat, or without the include_*_context primitive (§10 check 33)', async () => {
      const noChat = await post('/v2/chat/agent', agentBody(), headers(['complete_code']));
      expect(noChat.status).toBe(403);
      expect(await noChat.json()).toEqual({ detail: 'Unauthorized to access duo chat' });
      const messages = [
        { role: 'user', content: 'hi', additional_context: [{ category: 'file', id: 'a.py', content: 'x' }] },
      ];
      const noFile = await post('/v2/chat/agent', agentBody({ messages }));
      expect(noFile.status).toBe(403);
      expect(await noFile.json()).toEqual({ detail: 'Unauthorized to access include_file_context' });
    });

    it('sends unparsable output as an unknown event with the full text', async () => {
      stack.model.script({ chunks: ['I am ', 'not sure.'] });
      expect(await events(await post('/v2/chat/agent', agentBody()))).toEqual([
        { type: 'unknown', data: { text: 'I am not sure.' } },
      ]);
    });

    it('marks the error event of an overloaded model server retryable, with the exception text (§3.2)', async () => {
      const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
      stack.model.script({ status: 529, errorBody: overloaded });
      const [failure] = await events(await post('/v2/chat/agent', agentBody()));
      expect(failure).toMatchObject({
        type: 'error',
        data: { message: expect.stringContaining('overloaded_error: Overloaded'), retryable: true },
      });
    });

    it('turns a model failure and an invalid conversation into error events', async () => {
      stack.model.script({ status: 500 });
      const [failure] = await events(await post('/v2/chat/agent', agentBody()));
      expect(failure).toMatchObject({ type: 'error', data: { retryable: false } });
      const system = await post(
        '/v2/chat/agent',
        agentBody({
          messages: [
            { role: 'system', content: 'x' },
            { role: 'user', content: 'hi' },
          ],
        }),
      );
      expect(await events(system)).toEqual([
        { type: 'error', data: { message: 'Unsupported message', retryable: false } },
      ]);
      const assistantLast = await post(
        '/v2/chat/agent',
        agentBody({ messages: [{ role: 'assistant', content: 'x' }] }),
      );
      expect(await events(assistantLast)).toEqual([
        { type: 'error', data: { message: 'Last message must be a human message', retryable: false } },
      ]);
    });

    it('serves a model it does not know with the general prompts (gitlab-versions.md §2; was an empty 200)', async () => {
      stack.model.script({ chunks: ['Thought: easy\nFinal Answer: Hi'] });
      const body = await upstreamBodyOf(() => post('/v2/chat/agent', agentBody({}, 'my-finetune')));
      expect(body.model).toBe('my-finetune');
      expect(body.messages.at(-1)).toEqual({ role: 'assistant', content: 'Thought: ' });
    });

    it('offers version-gated tools only from GitLab 17.5 on', async () => {
      const systemOf = async (version: string) =>
        (
          await upstreamBodyOf(() =>
            post('/v2/chat/agent', agentBody(), headers(ALL_TOOL_SCOPES, { 'x-gitlab-version': version })),
          )
        ).messages[0].content as string;
      const old = await systemOf('17.4.0');
      expect(old).toContain('- issue_reader:');
      expect(old).not.toContain('- build_reader:');
      expect(old).not.toContain('- merge_request_reader:');
      const current = await systemOf('17.6.0');
      expect(current).toContain('- build_reader:');
      expect(current).toContain('- merge_request_reader:');
      // commit_reader needs no feature flag any more (gitlab-versions.md §1).
      expect(current).toContain('- commit_reader:');
      stack.model.script({ text: 'job\nAction: build_reader\nAction Input: why' });
      const response = await post(
        '/v2/chat/agent',
        agentBody(),
        headers(ALL_TOOL_SCOPES, { 'x-gitlab-version': '17.4.0' }),
      );
      expect(await events(response)).toEqual([
        { type: 'error', data: { message: 'tool not available', retryable: false } },
      ]);
    });

    it('renders the second step, with context and scratchpad, per family (snapshot of what the model server receives)', async () => {
      const secondStep = {
        messages: [
          { role: 'user', content: 'Earlier question' },
          { role: 'assistant', content: 'Earlier answer' },
          {
            role: 'user',
            content: 'What is issue #12 about?',
            context: { type: 'issue', content: 'Issue body' },
            current_file: { file_path: 'app.py', data: 'x = 1', selected_code: true },
            additional_context: [{ category: 'snippet', id: 'snip', content: 'y = 2' }],
          },
        ],
        options: {
          agent_scratchpad: {
            agent_type: 'react',
            steps: [
              {
                thought: 'I need issue\\_reader',
                tool: 'issue\\_reader',
                tool_input: '#12',
                observation: 'Issue #12: flaky test',
              },
            ],
          },
        },
      };
      const rendered: Record<string, unknown[]> = {};
      for (const family of ['claude_3', 'gpt', 'mistral', 'mixtral', 'general']) {
        const scopes = [...H_SCOPES, 'include_snippet_context'];
        const body = await upstreamBodyOf(() =>
          post('/v2/chat/agent', agentBody(secondStep, family), headers(scopes, { 'x-gitlab-version': '17.6.0' })),
        );
        rendered[family] = body.messages;
      }
      const [system] = rendered.claude_3 as Array<{ content: string }>;
      for (const messages of Object.values(rendered)) expect(messages[0]).toEqual(system);
      // current_date in the system prompt (gitlab-versions.md §1), pinned apart so the snapshot keeps.
      expect(system.content).toContain(`Today is ${formatDate(new Date(), '%A, %B, %d, %Y')}.`);
      system.content = system.content.replace(/Today is [^\n]*\./, 'Today is <current_date>.');
      const afterSystem = Object.fromEntries(
        Object.entries(rendered).map(([family, messages]) => [family, messages.slice(1)]),
      );
      expect({ system, ...afterSystem }).toMatchSnapshot();
    });
  });
});

describe('Duo Chat with custom models disabled', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true' });
  });
  afterAll(() => gateway.close());

  const post = (path: string, body: unknown) =>
    fetch(`${gateway.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const endpoint = 'http://127.0.0.1:9/v1';

  it('answers /v2/chat/agent with an empty 200', async () => {
    const response = await post('/v2/chat/agent', {
      messages: [{ role: 'user', content: 'hi' }],
      model_metadata: { provider: 'openai', name: 'mistral', endpoint },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers /v1/chat with a LiteLLM endpoint with 500', async () => {
    const payload = { content: 'Hello', provider: 'litellm', model: 'mistral', model_endpoint: endpoint };
    const response = await post('/v1/chat/agent', {
      prompt_components: [{ type: 'prompt', metadata: { source: 's', version: '1' }, payload }],
    });
    expect(response.status).toBe(500);
  });
});
