import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { withAuthLogContext } from './auth-log-context';
import { bearerTokenOf } from './bearer-credentials';
import { HeaderBag, headerValue, Identity } from './identity';
import { IdentityFactory } from './identity-factory';
import { GATEWAY_VERIFIER, TokenVerifier } from './token-verifier';

/** Paths served without credentials (http-api.md §1.2 step 1). */
const ANONYMOUS_PATHS: ReadonlySet<string> = new Set(['/monitoring/healthz', '/monitoring/ready', '/metrics']);

/** The request authentication algorithm of http-api.md §1.2; every message is contract. */
@Injectable()
export class HttpAuthenticator {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Inject(GATEWAY_VERIFIER) private readonly verifier: TokenVerifier,
    private readonly identities: IdentityFactory,
  ) {}

  /** Resolves to `undefined` for anonymous paths; throws an `Unauthenticated` AppError otherwise. */
  async authenticate(path: string, headers: HeaderBag): Promise<Identity | undefined> {
    if (ANONYMOUS_PATHS.has(path)) return undefined;
    return withAuthLogContext(async () => {
      const { bypassExternal, bypassExternalWithHeader } = this.options.auth;
      if (bypassExternal || (bypassExternalWithHeader && headerValue(headers, 'bypass-auth') === 'true')) {
        return this.identities.debug(headers);
      }
      return this.verifier.verify(bearerTokenOf(headers), headers);
    });
  }
}
