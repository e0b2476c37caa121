import { hash as digest } from 'node:crypto';
import { VerifiedToken } from './jwt-bearer.strategy';

/** Bounds memory; GitLab sends one token per instance (per user for UJWTs), so this is plenty. */
const MAX_ENTRIES = 10_000;

interface Entry {
  verified: VerifiedToken;
  expiresAtS: number;
}

/**
 * Successful verifications by token hash, until the token's `exp`: a token is checked against the keys once,
 * not on every request. A key withdrawn from a JWKS therefore stops working only when its tokens expire (≤ 1 h
 * for GitLab's). Only tokens that passed verification get in, so the map cannot be filled with junk.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  get(token: string, nowS: number): VerifiedToken | undefined {
    const key = hash(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (nowS < entry.expiresAtS) return entry.verified;
    this.entries.delete(key);
    return undefined;
  }

  set(token: string, verified: VerifiedToken, expiresAtS: number): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(hash(token), { verified, expiresAtS });
  }
}

const hash = (token: string) => digest('sha256', token, 'base64');
