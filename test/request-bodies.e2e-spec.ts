import { FakeOidcProvider } from './fakes/oidc-provider';
import { startGateway, TestGateway } from './helpers/gateway';
import { authHeaders } from './helpers/tokens';

/** gitlab-versions.md §5 and §4a: bodies as GitLab and broken clients send them, against the booted app. */
describe('request bodies', () => {
  let gateway: TestGateway;
  let gitlab: FakeOidcProvider;

  beforeAll(async () => {
    gitlab = await FakeOidcProvider.start();
    gateway = await startGateway({ AIGW_GITLAB_URL: gitlab.issuer, AIGW_CUSTOM_MODELS__ENABLED: 'true' });
  });
  afterAll(() => Promise.all([gateway.close(), gitlab.close()]));

  const post = (path: string, contentType: string | undefined, body?: string) =>
    fetch(`${gateway.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...authHeaders(gitlab), ...(contentType && { 'content-type': contentType }) },
      body: body === undefined ? undefined : new TextEncoder().encode(body),
    });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    undefined,
  ])(
    'takes an empty body with Content-Type %s where the body is optional (Rails sends user_access_token so)',
    async (type) => {
      const response = await post('/v1/code/user_access_token', type);
      // No signing key is configured here: past body parsing, the route itself answers (http-api.md §1.7).
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ detail: 'Failed to generate JWT' });
    },
  );

  it('answers malformed JSON with FastAPI json_invalid at the byte offset, never the framework 400', async () => {
    const response = await post(
      '/v2/chat/agent',
      'application/json',
      '{"messages": [{"role": "user", "content": "é" x]}',
    );
    expect(response.status).toBe(422);
    // The x is character 46, byte 47: the é before it takes two bytes.
    expect(await response.json()).toEqual({
      detail: [
        {
          type: 'json_invalid',
          loc: ['body', 47],
          msg: 'JSON decode error',
          input: {},
          ctx: { error: "Expecting ',' delimiter" },
        },
      ],
    });
  });

  it('answers an empty body where one is needed with the usual 422 list', async () => {
    const response = await post('/v2/chat/agent', 'application/json');
    expect(response.status).toBe(422);
    const { detail } = (await response.json()) as { detail: Array<{ loc: unknown[] }> };
    expect(detail[0].loc).toEqual(['body', 'messages']);
  });

  it('refuses an own constructor key with 422 naming where it is', async () => {
    const response = await post(
      '/v3/code/completions',
      'application/json',
      '{"prompt_components": [{"type": "code_editor_completion", "payload": {"constructor": {"a": 1}}}]}',
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      detail: [
        {
          type: 'value_error',
          loc: ['body', 'prompt_components', 0, 'payload', 'constructor'],
          msg: 'Value error, a field may not be named constructor',
          input: {},
        },
      ],
    });
  });
});
