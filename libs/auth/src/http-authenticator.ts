import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { debugIdentity, HeaderBag, headerValue, Identity } from './identity';
import { TokenVerifier } from './token-verifier';

/** Paths served without credentials (http-api.md §1.2 step 1). */
export const ANONYMOUS_PATHS: ReadonlySet<string> = new Set(['/monitoring/healthz', '/monitoring/ready', '/metrics']);

const fail = (message: string) => new AppError(ErrorCode.Unauthenticated, message);

/** The request authentication algorithm of http-api.md §1.2; every message is contract. */
@Injectable()
export class HttpAuthenticator {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly verifier: TokenVerifier,
  ) {}

  /** Resolves to `undefined` for anonymous paths; throws an `Unauthenticated` AppError otherwise. */
  async authenticate(path: string, headers: HeaderBag): Promise<Identity | undefined> {
    if (ANONYMOUS_PATHS.has(path)) return undefined;
    if (this.options.bypassExternal) return debugIdentity(headers);
    if (this.options.bypassExternalWithHeader && headerValue(headers, 'bypass-auth') === 'true') {
      return debugIdentity(headers);
    }
    const authorization = headerValue(headers, 'authorization');
    if (!authorization) throw fail('No authorization header presented');
    const space = authorization.indexOf(' ');
    const scheme = space === -1 ? authorization : authorization.slice(0, space);
    if (scheme.toLowerCase() !== 'bearer') throw fail('Invalid authorization header');
    if (headerValue(headers, 'x-gitlab-authentication-type') !== 'oidc') {
      throw fail('Invalid authentication token type - only OIDC is supported');
    }
    return this.verifier.verify(authorization.slice(space + 1).trim(), headers);
  }
}
