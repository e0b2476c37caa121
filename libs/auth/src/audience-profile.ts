import { AuthOptions } from './auth-options';

/** One service tokens are addressed to: the AI gateway (HTTP) or the Duo Workflow service (gRPC). */
export interface AudienceProfile {
  /** Required `aud` of incoming tokens, and `iss` = `aud` of the tokens this service issues. */
  serviceName: string;
  /** Origins of the OIDC providers whose keys sign tokens for this audience, without duplicates. */
  oidcOrigins: string[];
  signingKey: string;
  validationKey: string;
  /** `AIGW_AUTH__BYPASS_JWT_SIGNATURE` (http-api.md §1.6); HTTP only. */
  skipSignature: boolean;
}

/** Discovery is URL-joined as `/.well-known/…` (http-api.md §1.3), so only the origin of each URL counts. */
const origins = (urls: readonly string[]) => [
  ...new Set(urls.filter((url) => url !== '').map((url) => new URL(url).origin)),
];

/** http-api.md §1.3: every GitLab URL, plus CustomersDot unless emptied. */
export function gatewayProfile(options: AuthOptions): AudienceProfile {
  return {
    serviceName: options.cloudConnectorServiceName,
    oidcOrigins: origins([...options.gitlabUrl, options.customerPortalUrl]),
    signingKey: options.selfSignedJwt.signingKey,
    validationKey: options.selfSignedJwt.validationKey,
    skipSignature: options.auth.bypassJwtSignature,
  };
}

/**
 * agent-platform.md §5.2 and §7: `DUO_WORKFLOW_AUTH__OIDC_GITLAB_URL`, else every `AIGW_GITLAB_URL`; no
 * providers at all while `DUO_WORKFLOW_AUTH__ENABLED=false`.
 */
export function workflowProfile(options: AuthOptions): AudienceProfile {
  const { auth, selfSignedJwt, cloudConnectorServiceName } = options.duoWorkflow;
  const gitlabUrls = auth.oidcGitlabUrl ? [auth.oidcGitlabUrl] : options.gitlabUrl;
  return {
    serviceName: cloudConnectorServiceName,
    oidcOrigins: auth.enabled ? origins([...gitlabUrls, auth.oidcCustomerPortalUrl]) : [],
    signingKey: selfSignedJwt.signingKey,
    validationKey: selfSignedJwt.validationKey,
    skipSignature: false,
  };
}
