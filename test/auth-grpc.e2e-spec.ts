import { createPublicKey, generateKeyPairSync, KeyObject, verify } from 'node:crypto';
import { Client, Metadata, ServiceError, status as GrpcStatus } from '@grpc/grpc-js';
import { FakeOidcProvider } from './fakes/oidc-provider';
import { startGateway, TestGateway } from './helpers/gateway';
import { duoWorkflowClient } from './helpers/grpc-clients';
import { instanceToken, instanceTokenClaims, mintToken, toMetadata, workflowAuthHeaders } from './helpers/tokens';

const SERVICE = 'gitlab-duo-workflow-service';
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
const now = () => Math.floor(Date.now() / 1000);

type Callback = (error: ServiceError | null, reply?: any) => void;

function unary(client: Client, method: string, metadata: Metadata, request: object = {}): Promise<any> {
  const rpc = (client as unknown as Record<string, (r: object, m: Metadata, c: Callback) => void>)[method].bind(client);
  return new Promise((resolve, reject) =>
    rpc(request, metadata, (error, reply) => (error ? reject(error) : resolve(reply))),
  );
}

/** The status a call ended with, as `"<STATUS>: <details>"`. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    const { code, details } = error as ServiceError;
    return `${GrpcStatus[code]}: ${details}`;
  }
}

/** How a bidi stream opened with `metadata` ends before any message is sent. */
function streamOutcome(client: Client, method: string, metadata: Metadata): Promise<string> {
  const open = (client as unknown as Record<string, (m: Metadata) => NodeJS.EventEmitter>)[method].bind(client);
  return new Promise((resolve) => {
    const stream = open(metadata);
    stream.on('data', () => undefined);
    stream.on('error', (error: ServiceError) => resolve(`${GrpcStatus[error.code]}: ${error.details}`));
  });
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** agent-platform.md §5 and §9 checks 3–9 over a real grpc-js client. */
describe('DuoWorkflow authentication', () => {
  const signingKey = rsa();
  const validationKey = rsa();
  let gitlab: FakeOidcProvider;
  let gateway: TestGateway;
  let client: Client;
  const H = (scopes?: string[], claims?: Record<string, unknown>) => workflowAuthHeaders(gitlab, scopes, claims);
  const withToken = (token: string) => toMetadata({ ...H(), authorization: `Bearer ${token}` });
  const listTools = (metadata: Metadata) => outcome(unary(client, 'ListTools', metadata));

  beforeAll(async () => {
    gitlab = await FakeOidcProvider.start();
    gateway = await startGateway({
      AIGW_GITLAB_URL: gitlab.issuer,
      DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: pem(signingKey.privateKey),
      DUO_WORKFLOW_SELF_SIGNED_JWT__VALIDATION_KEY: pem(validationKey.privateKey),
    });
    client = duoWorkflowClient(gateway.grpcAddress);
  });
  afterAll(async () => {
    client.close();
    await Promise.all([gateway.close(), gitlab.close()]);
  });

  it('accepts a GitLab token for gitlab-duo-workflow-service, found through AIGW_GITLAB_URL', async () => {
    await expect(listTools(toMetadata(H()))).resolves.toBe('OK');
  });

  describe('check 3: every RPC needs authorization', () => {
    it.each(['GenerateToken', 'ListTools', 'ListFlows', 'ListCapabilities', 'ValidateFlowConfig'])(
      '%s',
      async (method) => {
        await expect(outcome(unary(client, method, new Metadata()))).resolves.toBe(
          'UNAUTHENTICATED: No authorization header presented',
        );
      },
    );

    it.each(['ExecuteWorkflow', 'TrackSelfHostedExecuteWorkflow'])('%s', async (method) => {
      await expect(streamOutcome(client, method, new Metadata())).resolves.toBe(
        'UNAUTHENTICATED: No authorization header presented',
      );
    });
  });

  it('counts refused RPCs by error code in agent_platform_auth_failures_total', async () => {
    const count = async () => {
      const text = await (await fetch(gateway.metricsUrl)).text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith('agent_platform_auth_failures_total{code="unauthenticated"}'));
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    const before = await count();
    await listTools(new Metadata());
    await streamOutcome(client, 'ExecuteWorkflow', new Metadata());
    expect(await count()).toBe(before + 2);
  });

  const stranger = rsa();
  const publicPem = () => createPublicKey(gitlab.privateKey).export({ type: 'spki', format: 'pem' }) as string;
  const claims = (extra: Record<string, unknown> = {}) =>
    instanceTokenClaims(gitlab.issuer, [], { aud: SERVICE, ...extra });
  const matrix: Array<[string, () => Metadata, string]> = [
    [
      'check 4: Basic credentials',
      () => toMetadata({ ...H(), authorization: 'Basic x' }),
      'Invalid authorization header',
    ],
    [
      'check 4: no x-gitlab-authentication-type',
      () => toMetadata({ ...H(), 'x-gitlab-authentication-type': '' }),
      'Invalid authentication token type - only OIDC is supported',
    ],
    ['check 5: an expired token', () => toMetadata(H([], { exp: now() - 10 })), 'Forbidden by auth provider'],
    [
      'check 5: the AI gateway audience',
      () => toMetadata(H([], { aud: 'gitlab-ai-gateway' })),
      'Forbidden by auth provider',
    ],
    [
      'check 5: an unknown key',
      () => withToken(mintToken(stranger.privateKey, claims(), { kid: 'unknown' })),
      'Forbidden by auth provider',
    ],
    [
      'check 5: HS256',
      () => withToken(mintToken(publicPem(), claims(), { alg: 'HS256', kid: gitlab.kid })),
      'Forbidden by auth provider',
    ],
    [
      'alg none',
      () => withToken(mintToken(gitlab.privateKey, claims(), { alg: 'none', kid: gitlab.kid })),
      'Forbidden by auth provider',
    ],
    ['a token not valid yet', () => toMetadata(H([], { nbf: now() + 120 })), 'Forbidden by auth provider'],
    ['a token issued an hour from now', () => toMetadata(H([], { iat: now() + 3600 })), 'Forbidden by auth provider'],
    [
      'a token with an unknown crit header',
      () => withToken(mintToken(gitlab.privateKey, claims(), { kid: gitlab.kid, crit: ['b64'] })),
      'Forbidden by auth provider',
    ],
    ['a malformed bearer', () => withToken('not-a-jwt'), 'Forbidden by auth provider'],
    ['an oversized token', () => toMetadata(H([], { padding: 'x'.repeat(13_000) })), 'Forbidden by auth provider'],
    [
      'a tampered payload',
      () => {
        const [header, , signature] = instanceToken(gitlab, [], { aud: SERVICE }).split('.');
        const payload = Buffer.from(JSON.stringify(claims({ scopes: ['duo_agent_platform'] }))).toString('base64url');
        return withToken(`${header}.${payload}.${signature}`);
      },
      'Forbidden by auth provider',
    ],
    [
      'check 6: a realm mismatch',
      () => toMetadata({ ...H(), 'x-gitlab-realm': 'saas' }),
      "Header mismatch 'X-Gitlab-Realm'",
    ],
    [
      'check 6: an instance mismatch',
      () => toMetadata({ ...H(), 'x-gitlab-instance-id': 'inst-2' }),
      "Header mismatch 'X-Gitlab-Instance-Id'",
    ],
    [
      'an iss forged as the service with a GitLab key (then sub must be the user)',
      () => toMetadata(H([], { iss: SERVICE })),
      "Header mismatch 'X-Gitlab-Global-User-Id'",
    ],
    [
      'check 6: a self-issued token of another user',
      () =>
        withToken(mintToken(signingKey.privateKey, instanceTokenClaims(SERVICE, [], { aud: SERVICE, sub: 'user-2' }))),
      "Header mismatch 'X-Gitlab-Global-User-Id'",
    ],
  ];

  it.each(matrix)('refuses %s as UNAUTHENTICATED', async (_case, metadata, message) => {
    await expect(listTools(metadata())).resolves.toBe(`UNAUTHENTICATED: ${message}`);
  });

  it('check 7: GenerateToken issues a one-hour token signed with the signing key, keeping served scopes', async () => {
    const scopes = ['duo_agent_platform', 'duo_chat', 'include_file_context', 'unknown_scope'];
    const reply = await unary(client, 'GenerateToken', toMetadata(H(scopes, { gitlab_instance_uid: 'uid-1' })));
    const [header, payload, signature] = reply.token.split('.');
    expect(
      verify('sha256', Buffer.from(`${header}.${payload}`), signingKey.publicKey, Buffer.from(signature, 'base64url')),
    ).toBe(true);
    const issued = claimsOf(reply.token);
    expect(issued).toMatchObject({
      iss: SERVICE,
      aud: SERVICE,
      sub: 'user-1',
      gitlab_realm: 'self-managed',
      gitlab_instance_id: 'inst-1',
      gitlab_instance_uid: 'uid-1',
      scopes: ['duo_agent_platform', 'duo_chat', 'include_file_context'],
    });
    expect(issued.exp - issued.iat).toBeLessThanOrEqual(3600);
    expect(Number(reply.expiresAt)).toBe(issued.exp);
    expect(reply.server_capabilities).toContain('tool_call_approval');

    await expect(listTools(withToken(reply.token))).resolves.toBe('OK');
  });

  it('check 8: GenerateToken refuses a token this service issued', async () => {
    const { token } = await unary(client, 'GenerateToken', toMetadata(H(['duo_agent_platform'])));
    await expect(outcome(unary(client, 'GenerateToken', withToken(token)))).resolves.toBe(
      'PERMISSION_DENIED: Unauthorized to generate token',
    );
  });

  it('GenerateToken refuses a caller without the unit primitive', async () => {
    await expect(outcome(unary(client, 'GenerateToken', toMetadata(H(['duo_chat'])), {}))).resolves.toBe(
      'PERMISSION_DENIED: Unauthorized to generate token',
    );
  });

  it('check 9: a token signed with the validation key is accepted', async () => {
    const token = mintToken(
      validationKey.privateKey,
      instanceTokenClaims(SERVICE, ['duo_chat'], { aud: SERVICE, sub: 'user-1' }),
    );
    await expect(listTools(withToken(token))).resolves.toBe('OK');
  });

  it('DUO_WORKFLOW_AUTH__ENABLED=false serves every call as the debug user', async () => {
    const open = await startGateway({ AIGW_GITLAB_URL: gitlab.issuer, DUO_WORKFLOW_AUTH__ENABLED: 'false' });
    const openClient = duoWorkflowClient(open.grpcAddress);
    try {
      await expect(outcome(unary(openClient, 'ListTools', new Metadata()))).resolves.toBe('OK');
    } finally {
      openClient.close();
      await open.close();
    }
  });
});
