import { generateKeyPairSync } from 'node:crypto';
import { FakeReply, RecordedRequest } from './fakes/openai-compatible.server';
import { GITLAB_17_0 } from './fixtures/gitlab-requests/gitlab-17-0';
import { GITLAB_17_5 } from './fixtures/gitlab-requests/gitlab-17-5';
import { GITLAB_17_9 } from './fixtures/gitlab-requests/gitlab-17-9';
import { GITLAB_18_3 } from './fixtures/gitlab-requests/gitlab-18-3';
import { GITLAB_18_9 } from './fixtures/gitlab-requests/gitlab-18-9';
import {
  ExpectedAction,
  GitLabRequest,
  GitLabVersionFixture,
  MatrixContext,
} from './fixtures/gitlab-requests/gitlab-request';
import { useGatewayStack } from './helpers/gateway-stack';
import { GLOBAL_USER_ID, INSTANCE_ID, instanceToken, REALM } from './helpers/tokens';

const VERSIONS: GitLabVersionFixture[] = [GITLAB_17_0, GITLAB_17_5, GITLAB_17_9, GITLAB_18_3, GITLAB_18_9];

const COMPLETION = 'return a + b';
const GENERATION = ['```python\ndef multiply(a, b):', '\n    return a * b\n```'];
const CHAT = ['Thought: I know what it is about.\nFinal Answer: The issue is', ' about SSO logins.'];
const ANSWER = 'The issue is about SSO logins.';
const EXPLANATION = 'It adds two numbers.';

/** The whole prompt the stand-in got: a text completion's prompt, or every chat message's content. */
const promptOf = (request: RecordedRequest): string =>
  request.body.prompt ?? request.body.messages.map((message: { content: string }) => message.content).join('\n\n');

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

/**
 * The same user actions sent as GitLab 17.0, 17.5, 17.9, 18.3 and 18.9 send them (gitlab-versions.md: every
 * endpoint accepts the union of the old and new shapes): headers, instance token claims and bodies per version
 * (see each fixture's `builtBy`), each against the stand-in model. Asserts what the model received and what the
 * client got.
 */
describe('GitLab version matrix (gitlab-versions.md)', () => {
  const stack = useGatewayStack({
    env: () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return { AIGW_SELF_SIGNED_JWT__SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
    },
  });
  const context = (): MatrixContext => ({ modelUrl: stack.model.url, modelKey: 'sk-self-hosted-model' });

  describe.each(VERSIONS.map((fixture) => [fixture.version, fixture] as const))('as GitLab %s', (_version, fixture) => {
    const headers = (request: GitLabRequest) => {
      const scopes = fixture.tokenClaims.scopes as string[];
      const token = instanceToken(stack.gitlab, scopes, fixture.tokenClaims);
      return { ...fixture.headers, authorization: `Bearer ${token}`, ...request.headers };
    };
    const send = (request: GitLabRequest, extraHeaders: Record<string, string> = {}) =>
      fetch(`${stack.gateway.baseUrl}${request.path}`, {
        method: 'POST',
        headers: { ...headers(request), ...extraHeaders },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });

    /** Sends the action with the model scripted to `reply`; checks the one request the model got. */
    async function run(action: ExpectedAction, reply: FakeReply): Promise<Response> {
      stack.model.script(reply);
      const seen = stack.model.requests.length;
      const response = await send(action);
      const body = await response.clone().text();
      expect({ status: response.status, body: response.status === 200 ? 'ok' : body }).toEqual({
        status: 200,
        body: 'ok',
      });
      expect(stack.model.requests).toHaveLength(seen + 1);
      const upstream = stack.model.requests[seen];
      expect(upstream.path).toBe(action.upstream.path);
      expect(upstream.body.model).toBe(action.upstream.model);
      if (action.upstream.stop) expect(upstream.body.stop).toEqual(action.upstream.stop);
      for (const text of action.upstream.promptContains) expect(promptOf(upstream)).toContain(text);
      return response;
    }

    async function expectAnswer(action: ExpectedAction, response: Response, text: string): Promise<void> {
      const body = await response.text();
      switch (action.answer) {
        case 'suggestion': {
          const json = JSON.parse(body);
          expect(json.choices[0].text).toContain(text);
          expect(json.model).toMatchObject({ engine: action.engine ?? 'agent', region: '' });
          return;
        }
        case 'suggestion-v4-sse':
          expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
          expect(body).toMatch(/^event: stream_start\r\ndata: \{"metadata": \{"model": \{"engine": "agent"/);
          expect(body).toContain('event: content_chunk\r\n');
          expect(body.endsWith('event: stream_end\r\ndata: null\r\n\r\n')).toBe(true);
          return;
        case 'raw-stream':
          expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
          expect(body).toBe(text);
          return;
        case 'react-ndjson': {
          expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
          const events = body
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line));
          expect(events.every((event: { type: string }) => event.type === 'final_answer_delta')).toBe(true);
          expect(events.map((event: { data: { text: string } }) => event.data.text).join('')).toBe(text);
          return;
        }
        case 'prompt-string':
          expect(JSON.parse(body)).toBe(text);
          return;
        case 'prompt-object':
          expect(JSON.parse(body)).toMatchObject({ content: text });
      }
    }

    it('answers a code completion', async () => {
      const action = fixture.completion(context());
      await expectAnswer(action, await run(action, { text: COMPLETION }), COMPLETION);
    });

    it('answers a code generation', async () => {
      const action = fixture.generation(context());
      await expectAnswer(action, await run(action, { chunks: GENERATION }), 'return a * b');
    });

    it('answers a Duo Chat question asked on an issue page', async () => {
      const action = fixture.chatQuestion(context());
      const text = action.answer === 'raw-stream' ? CHAT.join('') : ANSWER;
      await expectAnswer(action, await run(action, { chunks: CHAT }), text);
    });

    it('answers the second step of that question, after issue_reader ran', async () => {
      const action = fixture.chatSecondStep(context());
      const text = action.answer === 'raw-stream' ? CHAT.join('') : ANSWER;
      await expectAnswer(action, await run(action, { chunks: CHAT }), text);
    });

    it('runs a prompt-registry prompt', async () => {
      const action = fixture.promptCall(context());
      await expectAnswer(action, await run(action, { text: EXPLANATION }), EXPLANATION);
    });

    it('issues a direct-access token for the IDE, from a request without a body, which then completes code', async () => {
      const response = await send(fixture.directAccessToken());
      expect(response.status).toBe(200);
      const { token, expires_at: expiresAt } = (await response.json()) as { token: string; expires_at: number };
      expect(expiresAt - Date.now() / 1000).toBeGreaterThan(3500);
      expect(claimsOf(token)).toMatchObject({
        iss: 'gitlab-ai-gateway',
        aud: 'gitlab-ai-gateway',
        sub: GLOBAL_USER_ID,
        gitlab_realm: REALM,
        gitlab_instance_id: INSTANCE_ID,
        scopes: ['complete_code'],
      });
      stack.model.script({ text: COMPLETION });
      const completion = await fetch(`${stack.gateway.baseUrl}/v2/code/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-gitlab-authentication-type': 'oidc',
          'x-gitlab-instance-id': INSTANCE_ID,
          'x-gitlab-realm': REALM,
          'x-gitlab-global-user-id': GLOBAL_USER_ID,
        },
        body: JSON.stringify(fixture.completion(context()).body),
      });
      expect(completion.status).toBe(200);
      expect(((await completion.json()) as { choices: Array<{ text: string }> }).choices[0].text).toBe(COMPLETION);
    });
  });
});
