import 'reflect-metadata';
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthModule, AuthOptions, HttpAuthenticator } from '@app/auth';
import { FakeOidcProvider } from '@test/fakes/oidc-provider';
import { authHeaders, instanceTokenClaims, mintToken } from '@test/helpers/tokens';
import { NoReadiness, StandInInfrastructure } from '@test/helpers/auth-infrastructure';

/**
 * Cost of authenticating one HTTP request (http-api.md §1.2 steps 3–9) through the real HttpAuthenticator:
 * a token seen for the first time (RS256 verification through passport-jwt), the same token again (cache),
 * and a self-signed token without `kid` (every local key tried). Keys come from a loopback stand-in GitLab,
 * fetched once before timing starts. Each row is the median of five rounds (tokens are minted before timing).
 *
 *   node -r ./bench/ts-register.js bench/auth-verify.bench.ts   (alone; `npm run bench` includes it)
 */

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

function optionsFor(gitlabUrl: string): AuthOptions {
  return {
    gitlabUrl: [gitlabUrl],
    customerPortalUrl: '',
    cloudConnectorServiceName: 'gitlab-ai-gateway',
    auth: {
      bypassExternal: false,
      bypassExternalWithHeader: false,
      bypassJwtSignature: false,
      keyRefetchMinIntervalS: 30,
    },
    selfSignedJwt: { signingKey: signingKey.export({ type: 'pkcs8', format: 'pem' }) as string, validationKey: '' },
    featureFlags: { disallowedFlags: {} },
    duoWorkflow: {
      auth: { enabled: false, oidcGitlabUrl: '', oidcCustomerPortalUrl: '' },
      selfSignedJwt: { signingKey: '', validationKey: '' },
      cloudConnectorServiceName: 'gitlab-duo-workflow-service',
    },
  };
}

const ROUNDS = 5;

async function microsPerCall(calls: Array<() => Promise<unknown>>): Promise<number> {
  const started = process.hrtime.bigint();
  for (const call of calls) await call();
  return Number(process.hrtime.bigint() - started) / 1000 / calls.length;
}

async function medianMicros(build: () => Array<() => Promise<unknown>>): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) rounds.push(await microsPerCall(build()));
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

export interface AuthenticationCost {
  case: string;
  microsPerAuthentication: number;
}

/** Scenario "auth": µs per authentication for each kind of token, median of five rounds. */
export async function measureAuthentication(): Promise<AuthenticationCost[]> {
  Logger.overrideLogger(false);
  const gitlab = await FakeOidcProvider.start();
  const moduleRef = await Test.createTestingModule({
    imports: [
      StandInInfrastructure,
      AuthModule.registerAsync({ useFactory: () => optionsFor(gitlab.issuer), readiness: NoReadiness }),
    ],
  }).compile();
  const authenticator = moduleRef.get(HttpAuthenticator);
  const authenticate = (headers: Record<string, string>) => () =>
    authenticator.authenticate('/v2/code/completions', headers);
  await authenticate(authHeaders(gitlab))();

  const fresh = (count: number) => Array.from({ length: count }, () => authenticate(authHeaders(gitlab)));
  const selfSigned = (count: number) =>
    Array.from({ length: count }, () => {
      const claims = instanceTokenClaims('gitlab-ai-gateway', ['complete_code'], { sub: 'user-1', jti: randomUUID() });
      return authenticate({ ...authHeaders(gitlab), authorization: `Bearer ${mintToken(signingKey, claims)}` });
    });
  const repeated = (count: number) => new Array(count).fill(authenticate(authHeaders(gitlab)));
  const input = Buffer.from('x'.repeat(600));
  const signature = sign('sha256', input, gitlab.privateKey);
  const publicKey = createPublicKey(gitlab.privateKey);
  const bareVerify = (count: number) =>
    new Array(count).fill(async () => verify('sha256', input, publicKey, signature));

  const rows: Array<[string, (count: number) => Array<() => Promise<unknown>>, number]> = [
    ['new GitLab token (RS256 with kid)', fresh, 1_000],
    ['new self-signed token (no kid)', selfSigned, 1_000],
    ['cached token', repeated, 50_000],
    ['bare crypto.verify RS256 (reference)', bareVerify, 1_000],
  ];
  const costs: AuthenticationCost[] = [];
  for (const [name, build, count] of rows) {
    await microsPerCall(build(Math.ceil(count / 10)));
    costs.push({ case: name, microsPerAuthentication: await medianMicros(() => build(count)) });
  }
  await moduleRef.close();
  await gitlab.close();
  return costs;
}

if (require.main === module) {
  void measureAuthentication().then((costs) => {
    for (const cost of costs) {
      process.stdout.write(
        `${cost.case.padEnd(40)} ${cost.microsPerAuthentication.toFixed(1).padStart(8)} µs per authentication\n`,
      );
    }
  });
}
