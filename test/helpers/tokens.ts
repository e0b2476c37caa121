import { createHmac, KeyObject, randomUUID, sign } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';

/** Scopes of the §10 "H" token (http-api.md §10). */
export const H_SCOPES = ['complete_code', 'generate_code', 'duo_chat', 'ask_issue', 'documentation_search'];
export const INSTANCE_ID = 'inst-1';
export const GLOBAL_USER_ID = 'user-1';
export const REALM = 'self-managed';

/** Whoever signs tokens in a test: a fake OIDC provider's current key, or the gateway's own key. */
export interface TokenSigner {
  issuer: string;
  privateKey: KeyObject;
  kid?: string;
}

/**
 * A compact JWS. The header defaults to `{"alg":"RS256","typ":"JWT"}`; `alg` picks the signature:
 * `RS256` with `key` as an RSA private key, `HS256` with `key` as the HMAC secret (e.g. a public key PEM, for
 * the key-confusion attack), `none` without one.
 */
export function mintToken(
  key: KeyObject | string,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const fullHeader = { alg: 'RS256', typ: 'JWT', ...header };
  const input = `${base64url(fullHeader)}.${base64url(claims)}`;
  const signature =
    fullHeader.alg === 'none'
      ? Buffer.alloc(0)
      : fullHeader.alg === 'HS256'
        ? createHmac('sha256', key).update(input).digest()
        : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Claims shaped like a GitLab 17.x/18.x instance token (`ijwt` of http-api.md §10): 1 h lifetime, `sub` =
 * instance id. `overrides` win; an `undefined` override drops the claim.
 */
export function instanceTokenClaims(issuer: string, scopes: string[], overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    aud: 'gitlab-ai-gateway',
    sub: INSTANCE_ID,
    gitlab_instance_id: INSTANCE_ID,
    gitlab_realm: REALM,
    scopes,
    iat: now,
    nbf: now,
    exp: now + 3600,
    jti: randomUUID(),
    ...overrides,
  };
}

/** An instance token signed by `signer` (with its `kid`, as GitLab does). */
export function instanceToken(
  signer: TokenSigner,
  scopes: string[] = H_SCOPES,
  claims: Record<string, unknown> = {},
): string {
  return mintToken(
    signer.privateKey,
    instanceTokenClaims(signer.issuer, scopes, claims),
    signer.kid ? { kid: signer.kid } : {},
  );
}

/** The §10 "H" header set: an instance token from `signer` plus the headers Rails sends with it. */
export function authHeaders(
  signer: TokenSigner,
  scopes: string[] = H_SCOPES,
  claims: Record<string, unknown> = {},
): Record<string, string> {
  return {
    authorization: `Bearer ${instanceToken(signer, scopes, claims)}`,
    'x-gitlab-authentication-type': 'oidc',
    'x-gitlab-instance-id': INSTANCE_ID,
    'x-gitlab-realm': REALM,
    'x-gitlab-global-user-id': GLOBAL_USER_ID,
  };
}

/** `authHeaders` for the Duo Workflow service (audience `gitlab-duo-workflow-service`). */
export function workflowAuthHeaders(
  signer: TokenSigner,
  scopes: string[] = ['duo_agent_platform', 'duo_chat'],
  claims: Record<string, unknown> = {},
): Record<string, string> {
  return authHeaders(signer, scopes, { aud: 'gitlab-duo-workflow-service', ...claims });
}

/** Headers as gRPC metadata (names lower-cased). */
export function toMetadata(headers: Record<string, string>): Metadata {
  const metadata = new Metadata();
  for (const [name, value] of Object.entries(headers)) metadata.set(name.toLowerCase(), value);
  return metadata;
}
