import { JwtClaims } from './jwt-codec';

/** Who is calling, as established by authentication; injected into handlers and logs. */
export interface Identity {
  /** Bypass user: every unit primitive is granted, `claims` is absent. */
  isDebug: boolean;
  scopes: readonly string[];
  /** `iss` of the token; the service's own name for tokens it issued itself. */
  issuer?: string;
  /** Where the verifying key came from: an OIDC provider's origin, or `self-signed`. */
  keySource?: string;
  /** `X-Gitlab-Global-User-Id`. */
  globalUserId?: string;
  /** `X-Gitlab-User-Id` (agent platform metadata). */
  userId?: string;
  realm?: string;
  instanceId?: string;
  hostName?: string;
  gitlabVersion?: string;
  /** `X-Gitlab-Feature-Enabled-By-Namespace-Ids` (legacy `X-Gitlab-Saas-Duo-Pro-Namespace-Ids`). */
  featureEnabledByNamespaceIds: readonly number[];
  featureEnablementType?: string;
  /** `X-Gitlab-Enabled-Feature-Flags` minus `AIGW_FEATURE_FLAGS__DISALLOWED_FLAGS[realm]` (http-api.md §0.2). */
  enabledFeatureFlags: readonly string[];
  /** Every claim of the token, for extras such as `duo_seat_count`, `gitlab_instance_uid`, `tool_access_policies`. */
  claims?: Readonly<JwtClaims>;
}

/** Header names are matched lower-case (Fastify and grpc-js both lower-case them). */
export type HeaderBag = Record<string, string | string[] | undefined>;

export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
