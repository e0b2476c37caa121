import { createPrivateKey, randomUUID } from 'node:crypto';
import { signRs256 } from '@app/auth';

/** Who the troubleshooting token speaks for; the same values go into the matching headers (http-api.md §1.2). */
export const TROUBLESHOOT_IDENTITY = { userId: 'troubleshoot', instanceId: 'troubleshoot', realm: 'self-managed' };

const LIFETIME_S = 60;

/**
 * A user token like `POST /v1/code/user_access_token` issues (http-api.md §1.7), signed with the gateway's own
 * `AIGW_SELF_SIGNED_JWT__SIGNING_KEY`, so a test completion needs no auth bypass. Lives one minute.
 */
export function signUserToken(signingKeyPem: string, serviceName: string, now = Math.floor(Date.now() / 1000)): string {
  const claims = {
    iss: serviceName,
    aud: serviceName,
    sub: TROUBLESHOOT_IDENTITY.userId,
    iat: now,
    nbf: now,
    exp: now + LIFETIME_S,
    jti: randomUUID(),
    gitlab_realm: TROUBLESHOOT_IDENTITY.realm,
    gitlab_instance_id: TROUBLESHOOT_IDENTITY.instanceId,
    scopes: ['complete_code'],
  };
  return signRs256(claims, createPrivateKey(signingKeyPem));
}
