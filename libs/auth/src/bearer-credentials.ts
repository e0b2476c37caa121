import { AppError, ErrorCode } from '@app/common';
import { HeaderBag, headerValue } from './identity';

const refuse = (message: string) => new AppError(ErrorCode.Unauthenticated, message);

/** Steps 3–5 of http-api.md §1.2 (messages are contract): the bearer token, or an `Unauthenticated` AppError. */
export function bearerTokenOf(headers: HeaderBag): string {
  const authorization = headerValue(headers, 'authorization');
  if (!authorization) throw refuse('No authorization header presented');
  const space = authorization.indexOf(' ');
  const scheme = space === -1 ? authorization : authorization.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') throw refuse('Invalid authorization header');
  if (headerValue(headers, 'x-gitlab-authentication-type') !== 'oidc') {
    throw refuse('Invalid authentication token type - only OIDC is supported');
  }
  return space === -1 ? '' : authorization.slice(space + 1).trim();
}
