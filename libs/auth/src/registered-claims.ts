import { JwtClaims } from './jwt-codec';

/**
 * Tolerated clock skew between GitLab and us. Upstream checks without leeway (http-api.md §1.1); a few
 * seconds keep a freshly issued token (`nbf` = now on GitLab's clock) from bouncing off a slower clock.
 */
export const CLOCK_LEEWAY_S = 5;

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Why the registered claims make the token unusable now, or `undefined` when they do not. `exp` is required:
 * a token without one would be valid forever.
 */
export function registeredClaimsProblem(claims: JwtClaims, audience: string, nowS: number): string | undefined {
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(audience)) return `audience is not ${audience}`;
  if (!isNumber(claims.exp)) return 'exp is missing or not a number';
  if (nowS >= claims.exp + CLOCK_LEEWAY_S) return 'token has expired';
  if (claims.nbf !== undefined && !isNumber(claims.nbf)) return 'nbf is not a number';
  if (isNumber(claims.nbf) && claims.nbf > nowS + CLOCK_LEEWAY_S) return 'token is not valid yet';
  if (claims.iat !== undefined && !isNumber(claims.iat)) return 'iat is not a number';
  if (isNumber(claims.iat) && claims.iat > nowS + CLOCK_LEEWAY_S) return 'token was issued in the future';
  return undefined;
}
