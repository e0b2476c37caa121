import { createPublicKey, verify } from 'node:crypto';
import { AudienceProfile } from './audience-profile';
import { DecodedJwt } from './jwt-codec';
import { OidcKeySource } from './oidc-key-source';
import { SELF_SIGNED_SOURCE, VerificationKey } from './verification-key';

/**
 * Public halves of the service's own signing and validation keys, with the `kid`s of http-api.md §1.3. Each
 * configured key counts on its own (upstream drops both when one is missing).
 */
export function selfSignedKeys(profile: AudienceProfile): VerificationKey[] {
  const pems: Array<[string, string]> = [
    [profile.signingKey, `${profile.serviceName}_signing_key`],
    [profile.validationKey, `${profile.serviceName}_validation_key`],
  ];
  return pems
    .filter(([pem]) => pem !== '')
    .map(([pem, kid]) => ({ kid, key: createPublicKey(pem), source: SELF_SIGNED_SOURCE }));
}

/** The merged key set of one audience: its own keys plus those of its OIDC providers. */
export class KeySet {
  constructor(
    private readonly ownKeys: readonly VerificationKey[],
    readonly sources: readonly OidcKeySource[],
  ) {}

  /**
   * The key that signed `jwt`. Providers not fetched yet (or past 24 h) are fetched; the keys at hand are used
   * as soon as one matches, so a slow provider delays only tokens no other key verifies. A key still unknown
   * after that triggers one refetch, within the floor.
   */
  async keyFor(jwt: DecodedJwt): Promise<VerificationKey | undefined> {
    const fetches = this.sources.map((source) => source.ensureFresh());
    const found = this.match(jwt) ?? (await this.firstMatch(jwt, fetches));
    if (found) return found;
    return (await this.refetch()) ? this.match(jwt) : undefined;
  }

  /** Refetches every provider the floor allows; resolves to whether any key changed. */
  async refetch(): Promise<boolean> {
    const changed = await Promise.all(this.sources.map((source) => source.refetch()));
    return changed.includes(true);
  }

  /** Whether any key is known at all (http-api.md §1.2 step 6 tells this case apart). */
  isEmpty(): boolean {
    return this.ownKeys.length === 0 && this.sources.every((source) => source.current().length === 0);
  }

  /** Resolves once every provider has been asked at least once (and the floor allows). */
  async load(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.ensureFresh()));
  }

  private all(): VerificationKey[] {
    return [...this.ownKeys, ...this.sources.flatMap((source) => source.current())];
  }

  /** Resolves with a matching key as soon as a fetch brings one, or `undefined` once every fetch is done. */
  private firstMatch(jwt: DecodedJwt, fetches: Array<Promise<void>>): Promise<VerificationKey | undefined> {
    return new Promise((resolve) => {
      let pending = fetches.length;
      if (pending === 0) resolve(undefined);
      for (const fetch of fetches) {
        void fetch.then(() => {
          pending -= 1;
          const key = this.match(jwt);
          if (key || pending === 0) resolve(key);
        });
      }
    });
  }

  /** By `kid` when it names a key; otherwise every key is tried, as upstream does (http-api.md §1.3). */
  private match(jwt: DecodedJwt): VerificationKey | undefined {
    const keys = this.all();
    const kid = typeof jwt.header.kid === 'string' ? jwt.header.kid : undefined;
    const named = kid === undefined ? undefined : keys.find((candidate) => candidate.kid === kid);
    if (named) return named;
    const input = Buffer.from(jwt.signingInput);
    return keys.find((candidate) => verify('sha256', input, candidate.key, jwt.signature));
  }
}
