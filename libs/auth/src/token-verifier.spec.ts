import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { instanceToken, instanceTokenClaims, mintToken } from '@test/helpers/tokens';
import { AudienceProfile } from './audience-profile';
import { AuthOptions } from './auth-options';
import { Clock } from './clock';
import { HeaderBag } from './identity';
import { IdentityFactory } from './identity-factory';
import { KeySet, selfSignedKeys } from './key-set';
import { OidcKeyFetcher } from './oidc-key-fetcher';
import { OidcKeySource } from './oidc-key-source';
import { MAX_TOKEN_LENGTH, TokenVerifier } from './token-verifier';
import { VerificationKey } from './verification-key';

const GITLAB = 'https://gitlab.example.com';
const FLOOR_MS = 30_000;

class FakeClock extends Clock {
  ms = Date.now();
  override nowMs(): number {
    return this.ms;
  }
}

class FakeFetcher {
  published: VerificationKey[] | 'down' = [];
  fetchKeys(): Promise<VerificationKey[]> {
    const keys = this.published;
    return keys === 'down' ? Promise.reject(new Error('HTTP 503')) : Promise.resolve(keys);
  }
}

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
const H: HeaderBag = {
  'x-gitlab-instance-id': 'inst-1',
  'x-gitlab-realm': 'self-managed',
  'x-gitlab-global-user-id': 'user-1',
};

async function refusal(attempt: Promise<unknown>): Promise<{ message: string; reason: string }> {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AppError) || error.code !== ErrorCode.Unauthenticated)
    throw new Error(`expected a 401, got ${error}`);
  return { message: error.message, reason: (error.cause as Error).message };
}

describe(TokenVerifier.name, () => {
  const gitlabPair = rsa();
  const signingPair = rsa();
  const validationPair = rsa();
  const gitlab = { issuer: GITLAB, privateKey: gitlabPair.privateKey, kid: 'g1' };
  let clock: FakeClock;
  let fetcher: FakeFetcher;

  function verifierFor(overrides: Partial<AudienceProfile> = {}): TokenVerifier {
    const profile: AudienceProfile = {
      serviceName: 'gitlab-ai-gateway',
      oidcOrigins: [GITLAB],
      signingKey: pem(signingPair.privateKey),
      validationKey: pem(validationPair.privateKey),
      skipSignature: false,
      ...overrides,
    };
    const source = new OidcKeySource(GITLAB, fetcher as unknown as OidcKeyFetcher, clock, FLOOR_MS);
    const identities = new IdentityFactory({ featureFlags: { disallowedFlags: {} } } as unknown as AuthOptions);
    return new TokenVerifier(profile, new KeySet(selfSignedKeys(profile), [source]), identities, clock);
  }

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    clock = new FakeClock();
    fetcher = new FakeFetcher();
    fetcher.published = [{ kid: 'g1', key: gitlabPair.publicKey, source: GITLAB }];
  });

  it('accepts a token shaped like GitLab 17.x/18.x issues, with aud as a string or a list', async () => {
    const verifier = verifierFor();
    const identity = await verifier.verify(instanceToken(gitlab, ['complete_code']), H);
    expect(identity).toMatchObject({
      isDebug: false,
      scopes: ['complete_code'],
      issuer: GITLAB,
      keySource: GITLAB,
      instanceId: 'inst-1',
      realm: 'self-managed',
      globalUserId: 'user-1',
    });
    expect(identity.claims?.gitlab_instance_id).toBe('inst-1');
    const listed = instanceToken(gitlab, ['duo_chat'], { aud: ['other', 'gitlab-ai-gateway'] });
    await expect(verifier.verify(listed, H)).resolves.toMatchObject({ scopes: ['duo_chat'] });
  });

  it('does not validate iss (http-api.md §1.1) but records which source verified the token', async () => {
    const token = instanceToken(gitlab, [], { iss: 'https://somewhere.else' });
    await expect(verifierFor().verify(token, H)).resolves.toMatchObject({
      issuer: 'https://somewhere.else',
      keySource: GITLAB,
    });
  });

  it('accepts its own tokens signed with the signing or the validation key', async () => {
    const verifier = verifierFor();
    for (const { privateKey } of [signingPair, validationPair]) {
      const token = mintToken(
        privateKey,
        instanceTokenClaims('gitlab-ai-gateway', ['complete_code'], { sub: 'user-1' }),
      );
      await expect(verifier.verify(token, H)).resolves.toMatchObject({
        issuer: 'gitlab-ai-gateway',
        keySource: 'self-signed',
      });
    }
  });

  const now = () => Math.floor(Date.now() / 1000);
  const stranger = rsa();
  const publicPem = gitlabPair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const forbidden: Array<[string, () => string, string]> = [
    ['a malformed token', () => 'garbage', 'malformed token'],
    [
      'alg none',
      () => mintToken(gitlabPair.privateKey, instanceTokenClaims(GITLAB, []), { alg: 'none', kid: 'g1' }),
      'algorithm "none"',
    ],
    [
      'HS256 signed with the public key',
      () => mintToken(publicPem, instanceTokenClaims(GITLAB, []), { alg: 'HS256', kid: 'g1' }),
      'algorithm "HS256"',
    ],
    ['a wrong aud', () => instanceToken(gitlab, [], { aud: 'other' }), 'audience'],
    [
      'an expired token',
      () => instanceToken(gitlab, [], { iat: now() - 7200, nbf: now() - 7200, exp: now() - 60 }),
      'expired',
    ],
    ['a token not valid yet', () => instanceToken(gitlab, [], { nbf: now() + 60 }), 'not valid yet'],
    ['a token issued an hour from now', () => instanceToken(gitlab, [], { iat: now() + 3600 }), 'issued in the future'],
    [
      'a token with a critical header extension',
      () => mintToken(gitlabPair.privateKey, instanceTokenClaims(GITLAB, []), { kid: 'g1', crit: ['exp'] }),
      'critical header parameters ["exp"] are not understood',
    ],
    ['a token without exp', () => instanceToken(gitlab, [], { exp: undefined }), 'exp is missing'],
    [
      'an unknown kid',
      () => instanceToken({ ...gitlab, privateKey: stranger.privateKey, kid: 'zz' }),
      'no key matches',
    ],
    [
      'an unknown key without kid',
      () => mintToken(stranger.privateKey, instanceTokenClaims(GITLAB, [])),
      'no key matches',
    ],
    [
      'a tampered payload',
      () => {
        const [header, , signature] = instanceToken(gitlab, ['duo_chat']).split('.');
        const payload = Buffer.from(JSON.stringify(instanceTokenClaims(GITLAB, ['complete_code']))).toString(
          'base64url',
        );
        return `${header}.${payload}.${signature}`;
      },
      'invalid signature',
    ],
    ['an oversized token', () => instanceToken(gitlab, [], { padding: 'x'.repeat(MAX_TOKEN_LENGTH) }), 'longer than'],
  ];

  it.each(forbidden)('refuses %s with "Forbidden by auth provider"', async (_case, token, reason) => {
    const refused = await refusal(verifierFor().verify(token(), H));
    expect(refused.message).toBe('Forbidden by auth provider');
    expect(refused.reason).toContain(reason);
  });

  const mismatches: Array<[string, Record<string, unknown>, HeaderBag, string]> = [
    ['realm', {}, { ...H, 'x-gitlab-realm': 'saas' }, "Header mismatch 'X-Gitlab-Realm'"],
    [
      'instance id (header missing)',
      {},
      { ...H, 'x-gitlab-instance-id': undefined },
      "Header mismatch 'X-Gitlab-Instance-Id'",
    ],
    ['sub against the instance id', { sub: 'inst-2' }, H, "Header mismatch 'X-Gitlab-Instance-Id'"],
    ['realm before instance id', {}, { 'x-gitlab-realm': 'saas' }, "Header mismatch 'X-Gitlab-Realm'"],
  ];

  it.each(mismatches)('refuses a mismatch of %s with its exact message', async (_case, claims, headers, message) => {
    await expect(refusal(verifierFor().verify(instanceToken(gitlab, [], claims), headers))).resolves.toMatchObject({
      message,
    });
  });

  it('checks a self-issued token against X-Gitlab-Global-User-Id and skips empty claims', async () => {
    const token = mintToken(
      signingPair.privateKey,
      instanceTokenClaims('gitlab-ai-gateway', [], { sub: 'user-1', gitlab_realm: '' }),
    );
    const verifier = verifierFor();
    await expect(verifier.verify(token, { ...H, 'x-gitlab-realm': 'saas' })).resolves.toMatchObject({
      globalUserId: 'user-1',
    });
    const refused = await refusal(verifier.verify(token, { ...H, 'x-gitlab-global-user-id': 'other' }));
    expect(refused.message).toBe("Header mismatch 'X-Gitlab-Global-User-Id'");
  });

  it('lets a duo_seat_count mismatch through', async () => {
    const token = instanceToken(gitlab, [], { duo_seat_count: '5' });
    await expect(verifierFor().verify(token, { ...H, 'x-gitlab-duo-seat-count': '7' })).resolves.toBeDefined();
  });

  it('remembers a verified token until its exp', async () => {
    const verifier = verifierFor();
    const token = instanceToken(gitlab, [], { exp: now() + 120 });
    await verifier.verify(token, H);
    fetcher.published = [];
    clock.ms += FLOOR_MS;
    await expect(verifier.verify(token, H)).resolves.toBeDefined();
    clock.ms += 200_000;
    await expect(refusal(verifier.verify(token, H))).resolves.toMatchObject({ reason: 'token has expired' });
  });

  it('refetches once when a named key fails, so a key replaced under the same kid is picked up', async () => {
    const verifier = verifierFor();
    await verifier.verify(instanceToken(gitlab), H);
    const replacement = rsa();
    fetcher.published = [{ kid: 'g1', key: replacement.publicKey, source: GITLAB }];
    clock.ms += FLOOR_MS;
    await expect(
      verifier.verify(instanceToken({ ...gitlab, privateKey: replacement.privateKey }), H),
    ).resolves.toBeDefined();
  });

  it('refuses every token while no key is known at all (http-api.md §9.10)', async () => {
    fetcher.published = 'down';
    const refused = await refusal(verifierFor({ signingKey: '', validationKey: '' }).verify(instanceToken(gitlab), H));
    expect(refused).toEqual({ message: 'Forbidden by auth provider', reason: 'no keys in JWKS' });
  });

  describe('with AIGW_AUTH__BYPASS_JWT_SIGNATURE', () => {
    it('accepts a signature from an unknown key but still checks the claims', async () => {
      const verifier = verifierFor({ skipSignature: true });
      const unknown = { ...gitlab, privateKey: stranger.privateKey };
      await expect(verifier.verify(instanceToken(unknown), H)).resolves.toMatchObject({ keySource: 'unverified' });
      await expect(refusal(verifier.verify(instanceToken(unknown, [], { aud: 'other' }), H))).resolves.toMatchObject({
        message: 'Forbidden by auth provider',
      });
    });

    it('still needs a non-empty key set', async () => {
      fetcher.published = 'down';
      const verifier = verifierFor({ skipSignature: true, signingKey: '', validationKey: '' });
      await expect(refusal(verifier.verify(instanceToken(gitlab), H))).resolves.toMatchObject({
        reason: 'no keys in JWKS',
      });
    });
  });
});
