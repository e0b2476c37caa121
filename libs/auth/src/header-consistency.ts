import { HeaderBag, headerValue } from './identity';
import { JwtClaims } from './jwt-codec';

const claimText = (value: unknown): string | undefined =>
  value === undefined || value === null || value === '' ? undefined : String(value);

const mismatch = (header: string) => `Header mismatch '${header}'`;

/**
 * http-api.md §1.2 step 8 (order and messages are contract): the first claim that disagrees with its
 * header, or `undefined`. Empty or absent claims are skipped; a missing header counts as different.
 */
export function headerMismatch(claims: JwtClaims, headers: HeaderBag, ownIssuer: string): string | undefined {
  const realm = claimText(claims.gitlab_realm);
  if (realm !== undefined && realm !== headerValue(headers, 'x-gitlab-realm')) return mismatch('X-Gitlab-Realm');
  const instanceId = claimText(claims.gitlab_instance_id);
  if (instanceId !== undefined && instanceId !== headerValue(headers, 'x-gitlab-instance-id')) {
    return mismatch('X-Gitlab-Instance-Id');
  }
  const subject = claimText(claims.sub);
  if (subject === undefined) return undefined;
  if (claims.iss === ownIssuer) {
    return subject === headerValue(headers, 'x-gitlab-global-user-id')
      ? undefined
      : mismatch('X-Gitlab-Global-User-Id');
  }
  return subject === headerValue(headers, 'x-gitlab-instance-id') ? undefined : mismatch('X-Gitlab-Instance-Id');
}

/** The `duo_seat_count` check of step 8, which is only logged: the message, or `undefined` when it agrees. */
export function seatCountDiscrepancy(claims: JwtClaims, headers: HeaderBag): string | undefined {
  const seats = claimText(claims.duo_seat_count);
  if (seats === undefined) return undefined;
  const header = headerValue(headers, 'x-gitlab-duo-seat-count');
  if (header === undefined) return "Header is missing: 'X-Gitlab-Duo-Seat-Count'";
  return header === seats ? undefined : mismatch('X-Gitlab-Duo-Seat-Count');
}
