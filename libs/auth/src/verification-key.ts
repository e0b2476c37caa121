import { KeyObject } from 'node:crypto';

/** A public key tokens may be signed with, and where it came from. */
export interface VerificationKey {
  kid?: string;
  key: KeyObject;
  /** The OIDC base URL it was discovered at, or `self-signed` for the gateway's own keys. */
  source: string;
}

export const SELF_SIGNED_SOURCE = 'self-signed';
