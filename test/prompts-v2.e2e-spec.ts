import { useGatewayStack } from './helpers/gateway-stack';

/** `/v2/prompts` (gitlab-versions.md §4) and the §7 settings that shape what a model endpoint receives. */
describe('POST /v2/prompts/{prompt_id}, and the model endpoint settings of GitLab 18.x', () => {
  const stack = useGatewayStack({
    env: {
      AIGW_CUSTOM_MODELS__EXTRA_HEADERS: '{"X-Api-Gateway-Key": "proxy-key"}',
      AIGW_CUSTOM_MODELS__USER_ID_HEADER: 'X-End-User',
      AIGW_DUO_CHAT__MAX_TOKENS: '777',
    },
  });

  const metadata = () => ({ provider: 'openai', name: 'llama3', endpoint: stack.model.url, api_key: 'k' });
  const EXPLAIN = { input: 'Explain', selected_text: 'x = 1', file_content: '', language_info: '' };
  const invoke = (path: string, body: object, extra: Record<string, string> = {}) =>
    stack.post(path, body, stack.headers(['complete_code', 'explain_code'], { 'x-gitlab-user-id': '42', ...extra }));

  it('answers {content, usage} keyed by the model', async () => {
    stack.model.script({ text: 'ok', usage: { inputTokens: 11, outputTokens: 2 } });
    const response = await invoke('/v2/prompts/model_configuration%2Fcheck', {
      inputs: {},
      model_metadata: metadata(),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ content: 'ok', usage: { llama3: { input_tokens: 11, output_tokens: 2 } } });
  });

  it('streams one JSON object per line', async () => {
    stack.model.script({ chunks: ['It ', 'adds.'] });
    const response = await invoke('/v2/prompts/chat/explain_code', {
      inputs: EXPLAIN,
      model_metadata: metadata(),
      stream: true,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const lines = (await response.text()).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => JSON.parse(line))).toEqual([{ content: 'It ' }, { content: 'adds.' }]);
  });

  it('keeps the errors of /v1/prompts: 404, 422, 421 for a model HTTP error', async () => {
    const unknown = await invoke('/v2/prompts/does/not/exist', { inputs: {} });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: "Prompt 'does/not/exist' not found" });
    const refused = await invoke('/v2/prompts/model_configuration/check', {
      inputs: {},
      model_metadata: { provider: 'gitlab', feature_setting: 'duo_chat' },
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({
      detail: 'model provider gitlab is not available on a self-hosted AI gateway',
    });
    stack.model.script({ status: 401 });
    const misdirected = await invoke('/v2/prompts/model_configuration/check', {
      inputs: {},
      model_metadata: metadata(),
    });
    expect(misdirected.status).toBe(421);
    expect(await misdirected.json()).toEqual({ detail: '401: Unauthorized' });
  });

  it('sends AIGW_CUSTOM_MODELS__EXTRA_HEADERS and the user id header to the model endpoint (§7)', async () => {
    stack.model.script({ text: 'ok' });
    await invoke('/v1/prompts/model_configuration/check', { inputs: {}, model_metadata: metadata() });
    expect(stack.model.requests.at(-1)!.headers).toMatchObject({
      authorization: 'Bearer k',
      'x-api-gateway-key': 'proxy-key',
      'x-end-user': '42',
    });
  });

  it('replaces max_tokens of Duo Chat prompts with AIGW_DUO_CHAT__MAX_TOKENS, of no other (§7)', async () => {
    stack.model.script({ text: 'ok' });
    await invoke('/v1/prompts/chat/explain_code', { inputs: EXPLAIN, model_metadata: metadata() });
    expect(stack.model.requests.at(-1)!.body.max_tokens).toBe(777);
    await invoke('/v1/prompts/model_configuration/check', { inputs: {}, model_metadata: metadata() });
    expect(stack.model.requests.at(-1)!.body.max_tokens).toBe(12);
  });

  it('gives every prompt an inputs.current_date when the request has none (§4)', async () => {
    const response = await invoke('/v2/prompts/chat/explain_code', {
      inputs: { input: 'x' },
      model_metadata: metadata(),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { detail: string }).detail).toBe(
      "Input to ChatPromptTemplate is missing variables {'selected_text'}.  Expected: ['input', 'selected_text'] Received: ['current_date', 'input']",
    );
  });
});
