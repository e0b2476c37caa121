import { createPrivateKey, KeyObject, randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@app/common';
import { Clock } from './clock';
import { JwtClaims, signRs256 } from './jwt-codec';

export interface IssuedToken {
  token: string;
  /** Unix seconds; equals the `exp` claim. */
  expiresAt: number;
}

/** http-api.md §1.7, agent-platform.md §5.4. */
const LIFETIME_S = 3600;

/** Signs the service's own tokens: RS256 with its signing key, `iss` = `aud` = its name, one hour. */
export class SelfSignedTokenSigner {
  private readonly key?: KeyObject;

  constructor(
    private readonly serviceName: string,
    signingKeyPem: string,
    private readonly clock: Clock,
  ) {
    this.key = signingKeyPem === '' ? undefined : createPrivateKey(signingKeyPem);
  }

  get canSign(): boolean {
    return this.key !== undefined;
  }

  /** Throws `AppError(InternalByContract, 'Failed to generate JWT')` without a signing key. */
  sign(claims: JwtClaims): IssuedToken {
    if (!this.key) throw new AppError(ErrorCode.InternalByContract, 'Failed to generate JWT');
    const now = this.clock.nowS();
    const exp = now + LIFETIME_S;
    const token = signRs256(
      { iss: this.serviceName, aud: this.serviceName, ...claims, iat: now, nbf: now, exp, jti: randomUUID() },
      this.key,
    );
    return { token, expiresAt: exp };
  }
}
