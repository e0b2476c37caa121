import { generateKeyPairSync } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { AppError, ErrorCode } from '@app/common';
import { FakeOidcProvider } from '@test/fakes/oidc-provider';
import { instanceTokenClaims, mintToken, toMetadata, workflowAuthHeaders } from '@test/helpers/tokens';
import { AuthModule } from './auth.module';
import { AuthOptions } from './auth-options';
import { GrpcAuthenticator } from './grpc-authenticator';
import { WorkflowTokenIssuer } from './workflow-token-issuer';
import { NoReadiness, StandInInfrastructure } from '@test/helpers/auth-infrastructure';

const SERVICE = 'gitlab-duo-workflow-service';

const pem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

function optionsFor(gitlabOrigin: string, enabled: boolean, signingKey: string, validationKey: string): AuthOptions {
  return {
    gitlabUrl: ['http://127.0.0.1:9'],
    customerPortalUrl: '',
    cloudConnectorServiceName: 'gitlab-ai-gateway',
    auth: {
      bypassExternal: false,
      bypassExternalWithHeader: false,
      bypassJwtSignature: false,
      keyRefetchMinIntervalS: 30,
    },
    selfSignedJwt: { signingKey: '', validationKey: '' },
    featureFlags: { disallowedFlags: {} },
    duoWorkflow: {
      auth: { enabled, oidcGitlabUrl: gitlabOrigin, oidcCustomerPortalUrl: '' },
      selfSignedJwt: { signingKey, validationKey },
      cloudConnectorServiceName: SERVICE,
    },
  };
}

async function refusal(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${error}`);
  return `${error.code}: ${error.message}`;
}

describe(GrpcAuthenticator.name, () => {
  const signingKey = pem();
  const validationKey = pem();
  let gitlab: FakeOidcProvider;
  let moduleRef: TestingModule;
  let authenticator: GrpcAuthenticator;

  const boot = async (enabled: boolean) => {
    moduleRef = await Test.createTestingModule({
      imports: [
        StandInInfrastructure,
        AuthModule.registerAsync({
          useFactory: () => optionsFor(gitlab.issuer, enabled, signingKey, validationKey),
          readiness: NoReadiness,
        }),
      ],
    }).compile();
    authenticator = moduleRef.get(GrpcAuthenticator);
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    gitlab = await FakeOidcProvider.start();
  });
  afterAll(() => gitlab.close());
  afterEach(() => moduleRef.close());

  describe('with DUO_WORKFLOW_AUTH__ENABLED', () => {
    beforeEach(() => boot(true));

    it('accepts a GitLab token for gitlab-duo-workflow-service from DUO_WORKFLOW_AUTH__OIDC_GITLAB_URL', async () => {
      const identity = await authenticator.authenticate(
        toMetadata(workflowAuthHeaders(gitlab, ['duo_agent_platform'])),
      );
      expect(identity).toMatchObject({ isDebug: false, scopes: ['duo_agent_platform'], keySource: gitlab.issuer });
    });

    const H = () => workflowAuthHeaders(gitlab);
    const unauthenticated: Array<[string, () => Record<string, string>, string]> = [
      ['no authorization', () => ({ ...H(), authorization: '' }), 'No authorization header presented'],
      ['Basic credentials', () => ({ ...H(), authorization: 'Basic x' }), 'Invalid authorization header'],
      [
        'no authentication type',
        () => ({ ...H(), 'x-gitlab-authentication-type': '' }),
        'Invalid authentication token type - only OIDC is supported',
      ],
      [
        'an expired token',
        () => workflowAuthHeaders(gitlab, [], { exp: 1_000, iat: 900, nbf: 900 }),
        'Forbidden by auth provider',
      ],
      [
        'the AI gateway audience',
        () => workflowAuthHeaders(gitlab, [], { aud: 'gitlab-ai-gateway' }),
        'Forbidden by auth provider',
      ],
      [
        'an unknown key',
        () => ({
          ...H(),
          authorization: `Bearer ${mintToken(pem(), instanceTokenClaims(gitlab.issuer, [], { aud: SERVICE }))}`,
        }),
        'Forbidden by auth provider',
      ],
      ['a realm mismatch', () => ({ ...H(), 'x-gitlab-realm': 'saas' }), "Header mismatch 'X-Gitlab-Realm'"],
      [
        'an instance mismatch',
        () => ({ ...H(), 'x-gitlab-instance-id': 'inst-2' }),
        "Header mismatch 'X-Gitlab-Instance-Id'",
      ],
    ];

    it.each(unauthenticated)('refuses %s as UNAUTHENTICATED with the HTTP message', async (_case, headers, message) => {
      await expect(refusal(authenticator.authenticate(toMetadata(headers())))).resolves.toBe(
        `${ErrorCode.Unauthenticated}: ${message}`,
      );
    });

    it('accepts a token signed with the validation key (agent-platform.md §9 check 9)', async () => {
      const token = mintToken(
        validationKey,
        instanceTokenClaims(SERVICE, ['duo_chat'], { aud: SERVICE, sub: 'user-1' }),
      );
      const headers = { ...workflowAuthHeaders(gitlab), authorization: `Bearer ${token}` };
      await expect(authenticator.authenticate(toMetadata(headers))).resolves.toMatchObject({ issuer: SERVICE });
    });

    it('lets a GenerateToken token authenticate but not generate another one (§9 checks 6–8)', async () => {
      const metadata = toMetadata(workflowAuthHeaders(gitlab, ['duo_agent_platform']));
      const caller = await authenticator.authenticate(metadata);
      const { token } = moduleRef.get(WorkflowTokenIssuer).issue(caller, metadata);

      const selfIssued = toMetadata({ ...workflowAuthHeaders(gitlab), authorization: `Bearer ${token}` });
      const holder = await authenticator.authenticate(selfIssued);
      expect(holder).toMatchObject({ issuer: SERVICE, scopes: ['duo_agent_platform'] });
      expect(() => moduleRef.get(WorkflowTokenIssuer).issue(holder, selfIssued)).toThrow(
        'Unauthorized to generate token',
      );

      selfIssued.set('x-gitlab-global-user-id', 'user-2');
      await expect(refusal(authenticator.authenticate(selfIssued))).resolves.toBe(
        `${ErrorCode.Unauthenticated}: Header mismatch 'X-Gitlab-Global-User-Id'`,
      );
    });
  });

  describe('with DUO_WORKFLOW_AUTH__ENABLED=false', () => {
    beforeEach(() => boot(false));

    it('treats every call as the debug user', async () => {
      const identity = await authenticator.authenticate(toMetadata({ 'x-gitlab-global-user-id': 'user-1' }));
      expect(identity).toMatchObject({ isDebug: true, globalUserId: 'user-1' });
    });
  });
});
