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
