import { useGatewayStack } from './helpers/gateway-stack';

/** gitlab-versions.md §1's status answers of `/v2/chat/agent`, against the booted app. */
describe('POST /v2/chat/agent as GitLab 17.9 – 18.x sends it', () => {
  const stack = useGatewayStack();
  beforeEach(() => stack.model.script({ chunks: ['Thought: easy\nFinal Answer: Done.'] }));

  const post = (body: object, scopes: string[] = ['duo_classic_chat']) =>
    stack.post(
      '/v2/chat/agent',
      { model_metadata: { provider: 'openai', name: 'mistral', endpoint: stack.model.url }, ...body },
      stack.headers(scopes, { 'x-gitlab-version': '18.3.0' }),
    );
  const question = { role: 'user', content: 'hi' };

  it.each([['duo_classic_chat'], ['duo_chat']])('serves a token with %s', async (scope) => {
    const response = await post({ messages: [question] }, [scope]);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"type": "final_answer_delta", "data": {"text": "Done."}}\n');
  });

  it('refuses a token with neither chat primitive with 403', async () => {
    const response = await post({ messages: [question] }, ['complete_code']);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: 'Unauthorized to access duo chat' });
  });

  it('answers 400 for a scratchpad on a user message, before any model call', async () => {
    const seen = stack.model.requests.length;
    const response = await post({ messages: [{ ...question, agent_scratchpad: [{ observation: 'x' }] }] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ detail: 'agent_scratchpad can only be present when role is ASSISTANT' });
    expect(stack.model.requests).toHaveLength(seen);
  });

  it.each(['terminal', 'repository', 'directory'])(
    'needs include_%s_context for that additional context category',
    async (category) => {
      const body = { messages: [{ ...question, additional_context: [{ category, content: 'ctx' }] }] };
      const refused = await post(body);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ detail: `Unauthorized to access include_${category}_context` });
      const served = await post(body, ['duo_classic_chat', `include_${category}_context`]);
      expect(served.status).toBe(200);
      expect(stack.model.requests.at(-1)!.body.messages[1].content).toContain('ctx');
    },
  );

  it('continues a step from [user, assistant without content] and renders no history for that message', async () => {
    const seen = stack.model.requests.length;
    const response = await post({
      messages: [
        question,
        {
          role: 'assistant',
          content: null,
          agent_scratchpad: [{ action: { thought: 't', tool: 'issue_reader', tool_input: 'i' }, observation: 'seen' }],
        },
      ],
    });
    expect(response.status).toBe(200);
    const roles = stack.model.requests[seen].body.messages.map((message: { role: string }) => message.role);
    expect(roles).toEqual(['system', 'user', 'assistant']);
    expect(stack.model.requests[seen].body.messages[2].content).toContain('Observation: seen');
  });

  it.each([
    [{ provider: 'gitlab', feature_setting: 'duo_chat', identifier: null }],
    [{ provider: 'amazon_q', name: 'amazon_q', role_arn: 'arn:aws:iam::1:role/q' }],
  ])('refuses the cloud-only model %j with the text of gitlab-versions.md §4a', async (model_metadata) => {
    const response = await post({ messages: [question], model_metadata });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      detail: `model provider ${model_metadata.provider} is not available on a self-hosted AI gateway`,
    });
  });

  it('answers 422 naming model_metadata.endpoint when the request names no model at all', async () => {
    const response = await post({ messages: [question], model_metadata: undefined });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/^model_metadata\.endpoint is required: /);
  });
});

/** The shape of GitLab 17.0–17.2: the question as `prompt`, its context and the earlier conversation in `options`. */
describe('POST /v2/chat/agent as GitLab 17.0 – 17.2 sends it', () => {
  const stack = useGatewayStack();
  beforeEach(() => stack.model.script({ chunks: ['Thought: easy\nFinal Answer: Done.'] }));

  const post = (body: object) =>
    stack.post(
      '/v2/chat/agent',
      { model_metadata: { provider: 'openai', name: 'mistral', endpoint: stack.model.url }, ...body },
      stack.headers(['duo_chat'], { 'x-gitlab-version': '17.1.0' }),
    );
  const scratchpad = { agent_type: 'react', steps: [] };

  it.each([
    ['a string', 'user: earlier question\nassistant: earlier answer'],
    ['a list', ['user: earlier question', 'assistant: earlier answer']],
  ])('serves prompt + options with chat_history as %s', async (_, chat_history) => {
    const seen = stack.model.requests.length;
    const response = await post({
      prompt: 'What is issue #12 about?',
      options: {
        chat_history,
        agent_scratchpad: scratchpad,
        context: { type: 'issue', content: 'Issue twelve body' },
        current_file: { file_path: 'app.py', data: 'print(1)', selected_code: true },
      },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"type": "final_answer_delta", "data": {"text": "Done."}}\n');
    const messages = stack.model.requests[seen].body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant']);
    for (const text of ['What is issue #12 about?', 'earlier answer', 'Issue twelve body', 'print(1)']) {
      expect(messages[1].content).toContain(text);
    }
  });

  it('continues a tool step from options.agent_scratchpad', async () => {
    const seen = stack.model.requests.length;
    const step = { thought: 't', tool: 'issue\\_reader', tool_input: 'i', observation: 'the issue says hi' };
    const response = await post({
      prompt: 'q',
      options: { chat_history: [], agent_scratchpad: { ...scratchpad, steps: [step] } },
    });
    expect(response.status).toBe(200);
    const assistant = stack.model.requests[seen].body.messages[2].content as string;
    expect(assistant).toContain('Action: issue_reader');
    expect(assistant).toContain('Observation: the issue says hi');
  });

  it.each([
    [{ options: { chat_history: 'h', agent_scratchpad: scratchpad } }, 'messages'],
    [{ prompt: 'q', options: { chat_history: [1], agent_scratchpad: scratchpad } }, 'chat_history'],
  ])('answers 422 naming the field for %j', async (body, field) => {
    const response = await post(body);
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain(field);
  });
});
