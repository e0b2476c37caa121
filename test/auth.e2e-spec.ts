import { createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { startGateway, TestGateway } from './helpers/gateway';
import { ccBody } from './helpers/code-suggestion-bodies';
import { useGatewayStack } from './helpers/gateway-stack';
import { authHeaders, instanceToken, instanceTokenClaims, mintToken, TokenSigner } from './helpers/tokens';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
const now = () => Math.floor(Date.now() / 1000);

interface Answer {
  status: number;
  body: any;
}

async function call(
  gateway: TestGateway,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${gateway.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const unauthenticated = (error: string): Answer => ({ status: 401, body: { error } });
const FORBIDDEN = unauthenticated('Forbidden by auth provider');

/** http-api.md §1 and §10 checks 1–14 over real HTTP, with a stand-in GitLab and model server. */
describe('HTTP authentication', () => {
  const signingKey = rsa();
  const validationKey = rsa();
  const baseEnv = () => ({
    AIGW_GITLAB_URL: stack.gitlab.issuer,
    AIGW_CUSTOMER_PORTAL_URL: stack.gitlab.issuer,
    AIGW_CUSTOM_MODELS__ENABLED: 'true',
    AIGW_SELF_SIGNED_JWT__SIGNING_KEY: pem(signingKey.privateKey),
    AIGW_SELF_SIGNED_JWT__VALIDATION_KEY: pem(validationKey.privateKey),
  });
  const stack = useGatewayStack({ env: baseEnv });
  const cc = () => ccBody(stack.model.url);
  const completions = (headers: Record<string, string>, target = stack.gateway) =>
    call(target, '/v2/code/completions', headers, cc());
  const generations = (headers: Record<string, string>) =>
    call(stack.gateway, '/v2/code/generations', headers, {
      ...cc(),
      prompt: 'write add',
      prompt_id: 'code_suggestions/generations',
    });
  const withToken = (token: string, headers = authHeaders(stack.gitlab)) => ({
    ...headers,
    authorization: `Bearer ${token}`,
  });

  beforeEach(() => stack.model.script({ text: 'return a + b' }));

  describe('§10 conformance checks', () => {
    it('1: GET / without headers answers 401 "No authorization header presented"', async () => {
      await expect(call(stack.gateway, '/', {})).resolves.toEqual(unauthenticated('No authorization header presented'));
    });

    it('2: a non-bearer scheme answers "Invalid authorization header"', async () => {
      await expect(completions({ ...authHeaders(stack.gitlab), authorization: 'Token x' })).resolves.toEqual(
        unauthenticated('Invalid authorization header'),
      );
    });

    it('3: without X-Gitlab-Authentication-Type answers "Invalid authentication token type - only OIDC is supported"', async () => {
      const { 'x-gitlab-authentication-type': _dropped, ...headers } = authHeaders(stack.gitlab);
      await expect(completions(headers)).resolves.toEqual(
        unauthenticated('Invalid authentication token type - only OIDC is supported'),
      );
    });

    it('4: garbage, another key, aud other and an expired token each answer "Forbidden by auth provider"', async () => {
      const other = { issuer: stack.gitlab.issuer, privateKey: rsa().privateKey, kid: stack.gitlab.kid };
      for (const token of [
        'garbage',
        instanceToken(other),
        instanceToken(stack.gitlab, undefined, { aud: 'other' }),
        instanceToken(stack.gitlab, undefined, { iat: now() - 7200, nbf: now() - 7200, exp: now() - 60 }),
      ]) {
        await expect(completions(withToken(token))).resolves.toEqual(FORBIDDEN);
      }
    });

    it('5: X-Gitlab-Realm: saas answers "Header mismatch \'X-Gitlab-Realm\'"', async () => {
      await expect(completions({ ...authHeaders(stack.gitlab), 'x-gitlab-realm': 'saas' })).resolves.toEqual(
        unauthenticated("Header mismatch 'X-Gitlab-Realm'"),
      );
    });

    it('6: without X-Gitlab-Instance-Id answers "Header mismatch \'X-Gitlab-Instance-Id\'"', async () => {
      const { 'x-gitlab-instance-id': _dropped, ...headers } = authHeaders(stack.gitlab);
      await expect(completions(headers)).resolves.toEqual(unauthenticated("Header mismatch 'X-Gitlab-Instance-Id'"));
    });

    it('7: a duo_seat_count mismatch is only logged', async () => {
      const headers = {
        ...authHeaders(stack.gitlab, undefined, { duo_seat_count: '5' }),
        'x-gitlab-duo-seat-count': '7',
      };
      await expect(completions(headers)).resolves.toMatchObject({ status: 200 });
    });

    it('8: GET /monitoring/healthz needs no credentials', async () => {
      await expect(call(stack.gateway, '/monitoring/healthz', {})).resolves.toEqual({ status: 200, body: {} });
    });

    it('10: scopes [duo_chat] cannot complete code', async () => {
      await expect(completions(authHeaders(stack.gitlab, ['duo_chat']))).resolves.toEqual({
        status: 403,
        body: { detail: 'Unauthorized to access code completions' },
      });
    });

    it('11: scopes [complete_code] cannot generate code', async () => {
      await expect(generations(authHeaders(stack.gitlab, ['complete_code']))).resolves.toEqual({
        status: 403,
        body: { detail: 'Unauthorized to access code generations' },
      });
    });

    it('12: the user access token needs X-Gitlab-Global-User-Id, X-Gitlab-Instance-Id and X-Gitlab-Realm, in that order', async () => {
      const headers = authHeaders(stack.gitlab);
      const { 'x-gitlab-global-user-id': _user, ...withoutUser } = headers;
      await expect(call(stack.gateway, '/v1/code/user_access_token', withoutUser, {})).resolves.toEqual({
        status: 400,
        body: { detail: 'Missing X-Gitlab-Global-User-Id header' },
      });
      const noClaims = authHeaders(stack.gitlab, undefined, {
        gitlab_realm: undefined,
        gitlab_instance_id: undefined,
        sub: undefined,
      });
      const { 'x-gitlab-instance-id': _instance, 'x-gitlab-realm': _realm, ...userOnly } = noClaims;
      await expect(call(stack.gateway, '/v1/code/user_access_token', userOnly, {})).resolves.toEqual({
        status: 400,
        body: { detail: 'Missing X-Gitlab-Instance-Id header' },
      });
      const { 'x-gitlab-realm': _onlyRealm, ...noRealm } = noClaims;
      await expect(call(stack.gateway, '/v1/code/user_access_token', noRealm, {})).resolves.toEqual({
        status: 400,
        body: { detail: 'Missing X-Gitlab-Realm header' },
      });
    });

    it('13–14: a UJWT is issued for the caller, completes code, cannot generate, and is bound to its user', async () => {
      const issued = await call(stack.gateway, '/v1/code/user_access_token', authHeaders(stack.gitlab), {});
      expect(issued.status).toBe(200);
      expect(Object.keys(issued.body).sort()).toEqual(['expires_at', 'token']);
      expect(Math.abs(issued.body.expires_at - now() - 3600)).toBeLessThanOrEqual(2);
      const claims = JSON.parse(Buffer.from(issued.body.token.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({
        iss: 'gitlab-ai-gateway',
        aud: 'gitlab-ai-gateway',
        sub: 'user-1',
        scopes: ['complete_code'],
        gitlab_realm: 'self-managed',
        gitlab_instance_id: 'inst-1',
        exp: issued.body.expires_at,
      });

      const ujwt = withToken(issued.body.token);
      await expect(completions(ujwt)).resolves.toMatchObject({
        status: 200,
        body: { choices: [{ text: 'return a + b' }] },
      });
      await expect(generations(ujwt)).resolves.toEqual({
        status: 403,
        body: { detail: 'Unauthorized to access code generations' },
      });
      await expect(completions({ ...ujwt, 'x-gitlab-global-user-id': 'other' })).resolves.toEqual(
        unauthenticated("Header mismatch 'X-Gitlab-Global-User-Id'"),
      );
    });
  });

  describe('attack matrix', () => {
    const stranger = rsa();
    const publicPem = () => createPublicKey(stack.gitlab.privateKey).export({ type: 'spki', format: 'pem' }) as string;
    const claims = (extra: Record<string, unknown> = {}) =>
      instanceTokenClaims(stack.gitlab.issuer, ['complete_code'], extra);
    const signed = (extra: Record<string, unknown>) => withToken(instanceToken(stack.gitlab, ['complete_code'], extra));
    const headersWith = (extra: Record<string, string>) => ({ ...authHeaders(stack.gitlab), ...extra });
    const ujwtFor = (user: string) =>
      mintToken(signingKey.privateKey, instanceTokenClaims('gitlab-ai-gateway', [], { sub: user }));
    const cases: Array<[string, () => Record<string, string>, Answer]> = [
      ['no Authorization header', () => ({}), unauthenticated('No authorization header presented')],
      [
        'a Basic Authorization header',
        () => headersWith({ authorization: 'Basic dTpw' }),
        unauthenticated('Invalid authorization header'),
      ],
      [
        'authentication type "jwt"',
        () => headersWith({ 'x-gitlab-authentication-type': 'jwt' }),
        unauthenticated('Invalid authentication token type - only OIDC is supported'),
      ],
      ['a malformed bearer', () => withToken('a.b.c'), FORBIDDEN],
      ['an empty bearer', () => headersWith({ authorization: 'Bearer' }), FORBIDDEN],
      [
        'alg none',
        () => withToken(mintToken(stack.gitlab.privateKey, claims(), { alg: 'none', kid: stack.gitlab.kid })),
        FORBIDDEN,
      ],
      [
        'HS256 signed with the public key',
        () => withToken(mintToken(publicPem(), claims(), { alg: 'HS256', kid: stack.gitlab.kid })),
        FORBIDDEN,
      ],
      ['a wrong aud', () => signed({ aud: 'gitlab-duo-workflow-service' }), FORBIDDEN],
      ['an expired token', () => signed({ exp: now() - 10 }), FORBIDDEN],
      ['a token not valid yet', () => signed({ nbf: now() + 120 }), FORBIDDEN],
      ['a token issued an hour from now', () => signed({ iat: now() + 3600 }), FORBIDDEN],
      [
        'a token with an unknown crit header (RFC 7515 §4.1.11)',
        () => withToken(mintToken(stack.gitlab.privateKey, claims(), { kid: stack.gitlab.kid, crit: ['b64'] })),
        FORBIDDEN,
      ],
      ['an unknown kid', () => withToken(mintToken(stranger.privateKey, claims(), { kid: 'unknown' })), FORBIDDEN],
      [
        'a tampered payload',
        () => withToken(tamper(instanceToken(stack.gitlab, ['duo_chat']), { scopes: ['complete_code'] })),
        FORBIDDEN,
      ],
      ['an oversized token', () => signed({ padding: 'x'.repeat(9_500) }), FORBIDDEN],
      [
        'a realm mismatch',
        () => headersWith({ 'x-gitlab-realm': 'saas' }),
        unauthenticated("Header mismatch 'X-Gitlab-Realm'"),
      ],
      [
        'an instance id mismatch',
        () => headersWith({ 'x-gitlab-instance-id': 'inst-2' }),
        unauthenticated("Header mismatch 'X-Gitlab-Instance-Id'"),
      ],
      [
        'a sub that is not the instance',
        () => signed({ sub: 'inst-2' }),
        unauthenticated("Header mismatch 'X-Gitlab-Instance-Id'"),
      ],
      [
        'an iss forged as the gateway with a GitLab key (then sub must be the user)',
        () => signed({ iss: 'gitlab-ai-gateway' }),
        unauthenticated("Header mismatch 'X-Gitlab-Global-User-Id'"),
      ],
      [
        'a UJWT for another user',
        () => withToken(ujwtFor('user-2')),
        unauthenticated("Header mismatch 'X-Gitlab-Global-User-Id'"),
      ],
      [
        'a missing scope',
        () => authHeaders(stack.gitlab, ['generate_code']),
        { status: 403, body: { detail: 'Unauthorized to access code completions' } },
      ],
    ];

    it.each(cases)('refuses %s', async (_case, headers, answer) => {
      await expect(completions(headers())).resolves.toEqual(answer);
    });

    it('refuses a self-issued token where the spec says (UJWT rejected)', async () => {
      const scopes = ['complete_code', 'generate_code'];
      const ujwt = withToken(
        mintToken(validationKey.privateKey, instanceTokenClaims('gitlab-ai-gateway', scopes, { sub: 'user-1' })),
      );
      await expect(completions(ujwt)).resolves.toMatchObject({ status: 200 });
      await expect(generations(ujwt)).resolves.toEqual({
        status: 403,
        body: { detail: 'Unauthorized to access code generations' },
      });
      await expect(call(stack.gateway, '/v1/code/user_access_token', ujwt, {})).resolves.toEqual({
        status: 403,
        body: { detail: 'Unauthorized to create user access token for code suggestions' },
      });
    });

    it('accepts an iss of another instance when a trusted key signed it (iss is not validated, http-api.md §1.1)', async () => {
      await expect(completions(signed({ iss: 'https://other.example.com' }))).resolves.toMatchObject({ status: 200 });
    });

    it('does not answer unknown paths before authentication', async () => {
      await expect(call(stack.gateway, '/no/such/path', {})).resolves.toEqual(
        unauthenticated('No authorization header presented'),
      );
      await expect(call(stack.gateway, '/no/such/path', authHeaders(stack.gitlab))).resolves.toEqual({
        status: 404,
        body: { detail: 'Not Found' },
      });
    });
  });

  describe('bypass modes (§10 check 9, http-api.md §1.6)', () => {
    const withGateway = async (env: Record<string, string>, use: (target: TestGateway) => Promise<void>) => {
      const target = await startGateway({ ...baseEnv(), ...env });
      try {
        await use(target);
      } finally {
        await target.close();
      }
    };

    it('AIGW_AUTH__BYPASS_EXTERNAL lets every request in as the debug user', () =>
      withGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true' }, async (target) => {
        await expect(completions({}, target)).resolves.toMatchObject({ status: 200 });
      }));

    it('AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER needs "Bypass-Auth: true"', () =>
      withGateway({ AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER: 'true' }, async (target) => {
        await expect(completions({}, target)).resolves.toEqual(unauthenticated('No authorization header presented'));
        await expect(completions({ 'bypass-auth': 'true' }, target)).resolves.toMatchObject({ status: 200 });
      }));

    it('AIGW_AUTH__BYPASS_JWT_SIGNATURE skips the signature but not the claims', () =>
      withGateway({ AIGW_AUTH__BYPASS_JWT_SIGNATURE: 'true' }, async (target) => {
        const forged: TokenSigner = { issuer: stack.gitlab.issuer, privateKey: rsa().privateKey };
        const forge = (claims: Record<string, unknown> = {}) =>
          withToken(instanceToken(forged, ['complete_code'], claims));
        await expect(completions(forge(), target)).resolves.toMatchObject({ status: 200 });
        await expect(completions(forge({ aud: 'x' }), target)).resolves.toEqual(FORBIDDEN);
      }));
  });
});

function tamper(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const changed = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...claims };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
}
