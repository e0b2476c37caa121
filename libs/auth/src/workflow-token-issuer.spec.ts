import { generateKeyPairSync, verify } from 'node:crypto';
import { AppError, ErrorCode } from '@app/common';
import { toMetadata } from '@test/helpers/tokens';
import { AuthOptions } from './auth-options';
import { Clock } from './clock';
import { Identity } from './identity';
import { DecodedJwt, decodeJwt } from './jwt-codec';
import { WORKFLOW_SERVED_PRIMITIVES } from './workflow-primitives';
import { WorkflowTokenIssuer } from './workflow-token-issuer';

const SERVICE = 'gitlab-duo-workflow-service';
const NOW_MS = 1_700_000_000_000;

class FakeClock extends Clock {
  override nowMs(): number {
    return NOW_MS;
  }
}

const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const optionsWith = (signingKey: string) =>
  ({
    gitlabUrl: ['https://gitlab.example.com'],
    duoWorkflow: {
      auth: { enabled: true, oidcGitlabUrl: '', oidcCustomerPortalUrl: '' },
      selfSignedJwt: { signingKey, validationKey: '' },
      cloudConnectorServiceName: SERVICE,
    },
  }) as unknown as AuthOptions;
const issuer = new WorkflowTokenIssuer(
  optionsWith(signing.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
  new FakeClock(),
);
const metadata = toMetadata({
  'x-gitlab-global-user-id': 'user-1',
  'x-gitlab-realm': 'self-managed',
  'x-gitlab-instance-id': 'inst-1',
});
const caller = (scopes: string[], claims: Record<string, unknown> = {}): Identity => ({
  isDebug: false,
  scopes,
  issuer: 'https://gitlab.example.com',
  claims: { iss: 'https://gitlab.example.com', scopes, ...claims },
  featureEnabledByNamespaceIds: [],
  enabledFeatureFlags: [],
});

function verified(token: string): DecodedJwt {
  const jwt = decodeJwt(token) as DecodedJwt;
  expect(verify('sha256', Buffer.from(jwt.signingInput), signing.publicKey, jwt.signature)).toBe(true);
  return jwt;
}

function denial(issue: () => unknown): AppError {
  try {
    issue();
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  throw new Error('expected an AppError');
}

describe(WorkflowTokenIssuer.name, () => {
  it('issues a one-hour RS256 token for the caller, keeping only the scopes the service serves', () => {
    const scopes = ['duo_agent_platform', 'duo_chat', 'include_file_context', 'unknown_scope'];
    const extras = { gitlab_instance_uid: 'uid-1', tool_access_policies: { run_command: 'deny' }, duo_seat_count: '5' };
    const { token, expiresAt } = issuer.issue(caller(scopes, extras), metadata);
    const { header, payload } = verified(token);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toEqual({
      iss: SERVICE,
      aud: SERVICE,
      sub: 'user-1',
      gitlab_realm: 'self-managed',
      gitlab_instance_id: 'inst-1',
      scopes: ['duo_agent_platform', 'duo_chat', 'include_file_context'],
      gitlab_instance_uid: 'uid-1',
      tool_access_policies: { run_command: 'deny' },
      iat: NOW_MS / 1000,
      nbf: NOW_MS / 1000,
      exp: NOW_MS / 1000 + 3600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(expiresAt).toBe(payload.exp);
  });

  it('gives a debug caller every primitive the service serves', () => {
    const debug: Identity = { isDebug: true, scopes: [], featureEnabledByNamespaceIds: [], enabledFeatureFlags: [] };
    const { payload } = verified(issuer.issue(debug, metadata).token);
    expect(payload.scopes).toEqual([...WORKFLOW_SERVED_PRIMITIVES]);
  });

  it.each([
    ['chat', ['duo_chat']],
    [undefined, ['duo_workflow_execute_workflow']],
    ['software_development', ['duo_workflow_generate_token']],
  ])('authorises workflow definition %s with %j', (definition, scopes) => {
    expect(() => issuer.issue(caller(scopes), metadata, definition)).not.toThrow();
  });

  it('refuses a caller without the primitive, or holding a token this service issued', () => {
    const selfIssued = { ...caller(['duo_agent_platform']), issuer: SERVICE };
    for (const [identity, definition] of [
      [caller(['duo_chat']), 'software_development'],
      [caller(['duo_agent_platform']), 'chat'],
      [selfIssued, undefined],
    ] as const) {
      const error = denial(() => issuer.issue(identity, metadata, definition));
      expect([error.code, error.message]).toEqual([ErrorCode.PermissionDenied, 'Unauthorized to generate token']);
    }
  });

  it('fails as InternalByContract (a plain 500, logged at warn) without a signing key', () => {
    const unsigned = new WorkflowTokenIssuer(optionsWith(''), new FakeClock());
    expect(denial(() => unsigned.issue(caller(['duo_agent_platform']), metadata)).code).toBe(
      ErrorCode.InternalByContract,
    );
  });
});
