import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { mintToken } from '@test/helpers/tokens';
import { AudienceProfile } from './audience-profile';
import { Clock } from './clock';
import { decodeJwt, DecodedJwt } from './jwt-codec';
import { KeySet, selfSignedKeys } from './key-set';
import { OidcKeyFetcher } from './oidc-key-fetcher';
import { OidcKeySource } from './oidc-key-source';
import { SELF_SIGNED_SOURCE, VerificationKey } from './verification-key';

const FLOOR_MS = 30_000;

class FakeClock extends Clock {
  ms = 1_700_000_000_000;
  override nowMs(): number {
    return this.ms;
  }
}

/** Stands in for the HTTP client: each origin serves its current keys, fails, or hangs. */
class FakeFetcher {
  calls: string[] = [];
  published = new Map<string, VerificationKey[] | 'down' | 'hanging'>();

  fetchKeys(origin: string): Promise<VerificationKey[]> {
    this.calls.push(origin);
    const keys = this.published.get(origin);
    if (keys === 'hanging') return new Promise(() => undefined);
    if (keys === 'down' || keys === undefined) return Promise.reject(new Error(`${origin}: HTTP 503`));
    return Promise.resolve(keys);
  }
}

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwtSignedBy = (privateKey: KeyObject, kid?: string): DecodedJwt =>
  decodeJwt(mintToken(privateKey, { sub: 'x' }, kid ? { kid } : {})) as DecodedJwt;

describe(KeySet.name, () => {
  const gitlab = 'https://gitlab.example.com';
  const portal = 'https://customers.example.com';
  const gitlabPair = rsa();
  const portalPair = rsa();
  let clock: FakeClock;
  let fetcher: FakeFetcher;
  const sourceOf = (origin: string) => new OidcKeySource(origin, fetcher as unknown as OidcKeyFetcher, clock, FLOOR_MS);

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    clock = new FakeClock();
    fetcher = new FakeFetcher();
    fetcher.published.set(gitlab, [{ kid: 'g1', key: gitlabPair.publicKey, source: gitlab }]);
    fetcher.published.set(portal, [{ kid: 'p1', key: portalPair.publicKey, source: portal }]);
  });

  it('finds a provider key by kid, fetching lazily', async () => {
    const keys = new KeySet([], [sourceOf(gitlab)]);
    expect(fetcher.calls).toEqual([]);
    await expect(keys.keyFor(jwtSignedBy(gitlabPair.privateKey, 'g1'))).resolves.toMatchObject({ source: gitlab });
    expect(fetcher.calls).toEqual([gitlab]);
  });

  it('tries every key for a token without kid, such as its own UJWTs', async () => {
    const own = rsa();
    const profile: AudienceProfile = {
      serviceName: 'gitlab-ai-gateway',
      oidcOrigins: [],
      signingKey: own.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      validationKey: '',
      skipSignature: false,
    };
    const keys = new KeySet(selfSignedKeys(profile), [sourceOf(gitlab)]);
    const found = await keys.keyFor(jwtSignedBy(own.privateKey));
    expect(found).toMatchObject({ kid: 'gitlab-ai-gateway_signing_key', source: SELF_SIGNED_SOURCE });
    await expect(keys.keyFor(jwtSignedBy(rsa().privateKey))).resolves.toBeUndefined();
  });

  it('picks up a rotated key with one refetch once the floor has passed', async () => {
    const keys = new KeySet([], [sourceOf(gitlab)]);
    await keys.keyFor(jwtSignedBy(gitlabPair.privateKey, 'g1'));
    const rotated = rsa();
    fetcher.published.set(gitlab, [{ kid: 'g2', key: rotated.publicKey, source: gitlab }]);

    await expect(keys.keyFor(jwtSignedBy(rotated.privateKey, 'g2'))).resolves.toBeUndefined();
    expect(fetcher.calls).toHaveLength(1);
    clock.ms += FLOOR_MS;
    await expect(keys.keyFor(jwtSignedBy(rotated.privateKey, 'g2'))).resolves.toMatchObject({ kid: 'g2' });
    expect(fetcher.calls).toHaveLength(2);
  });

  it('answers from the providers that respond while another one hangs', async () => {
    fetcher.published.set(portal, 'hanging');
    const keys = new KeySet([], [sourceOf(portal), sourceOf(gitlab)]);
    await expect(keys.keyFor(jwtSignedBy(gitlabPair.privateKey, 'g1'))).resolves.toMatchObject({ source: gitlab });
  });

  it('is empty while every provider is down, and recovers once one is back', async () => {
    fetcher.published.set(gitlab, 'down');
    const keys = new KeySet([], [sourceOf(gitlab)]);
    await expect(keys.keyFor(jwtSignedBy(gitlabPair.privateKey, 'g1'))).resolves.toBeUndefined();
    expect(keys.isEmpty()).toBe(true);

    fetcher.published.set(gitlab, [{ kid: 'g1', key: gitlabPair.publicKey, source: gitlab }]);
    clock.ms += FLOOR_MS;
    await expect(keys.keyFor(jwtSignedBy(gitlabPair.privateKey, 'g1'))).resolves.toMatchObject({ kid: 'g1' });
    expect(keys.isEmpty()).toBe(false);
  });
});
