import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { HeaderBag, headerValue, Identity } from './identity';
import { VerifiedToken } from './jwt-bearer.strategy';

const commaList = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const claimString = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** Builds the {@link Identity} of a request from its headers and, when authenticated, its token. */
@Injectable()
export class IdentityFactory {
  private readonly disallowedFlags: Record<string, string[]>;

  constructor(@Inject(AUTH_OPTIONS) options: AuthOptions) {
    this.disallowedFlags = options.featureFlags.disallowedFlags;
  }

  /** The bypass user of http-api.md §1.6 (and `DUO_WORKFLOW_AUTH__ENABLED=false`). */
  debug(headers: HeaderBag): Identity {
    return { isDebug: true, scopes: [], ...this.fromHeaders(headers, headerValue(headers, 'x-gitlab-realm')) };
  }

  verified({ claims, keySource }: VerifiedToken, headers: HeaderBag): Identity {
    const realm = headerValue(headers, 'x-gitlab-realm') ?? claimString(claims.gitlab_realm);
    return {
      isDebug: false,
      scopes: Array.isArray(claims.scopes) ? claims.scopes.filter((scope) => typeof scope === 'string') : [],
      issuer: claimString(claims.iss),
      keySource,
      claims,
      ...this.fromHeaders(headers, realm),
      instanceId: headerValue(headers, 'x-gitlab-instance-id') ?? claimString(claims.gitlab_instance_id),
    };
  }

  private fromHeaders(headers: HeaderBag, realm: string | undefined) {
    const listed = realm === undefined ? undefined : this.disallowedFlags[realm];
    const disallowed = new Set(Array.isArray(listed) ? listed : []);
    const namespaceIds =
      headerValue(headers, 'x-gitlab-feature-enabled-by-namespace-ids') ??
      headerValue(headers, 'x-gitlab-saas-duo-pro-namespace-ids');
    return {
      realm,
      globalUserId: headerValue(headers, 'x-gitlab-global-user-id'),
      userId: headerValue(headers, 'x-gitlab-user-id'),
      instanceId: headerValue(headers, 'x-gitlab-instance-id'),
      hostName: headerValue(headers, 'x-gitlab-host-name'),
      gitlabVersion: headerValue(headers, 'x-gitlab-version'),
      featureEnabledByNamespaceIds: commaList(namespaceIds).map(Number).filter(Number.isSafeInteger),
      featureEnablementType: headerValue(headers, 'x-gitlab-feature-enablement-type'),
      enabledFeatureFlags: [
        ...new Set(
          commaList(headerValue(headers, 'x-gitlab-enabled-feature-flags')).filter((flag) => !disallowed.has(flag)),
        ),
      ],
    };
  }
}
