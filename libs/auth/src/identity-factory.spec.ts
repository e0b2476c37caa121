import { AuthOptions } from './auth-options';
import { IdentityFactory } from './identity-factory';

const factory = new IdentityFactory({
  featureFlags: { disallowedFlags: { saas: ['expanded_ai_logging'] } },
} as unknown as AuthOptions);

const headers = {
  'x-gitlab-realm': 'saas',
  'x-gitlab-instance-id': 'inst-1',
  'x-gitlab-global-user-id': 'user-1',
  'x-gitlab-host-name': 'gitlab.example.com',
  'x-gitlab-version': '18.2.0',
  'x-gitlab-enabled-feature-flags': 'expanded_ai_logging, ai_commit_reader_for_chat,',
  'x-gitlab-feature-enabled-by-namespace-ids': '9,42,x',
  'x-gitlab-feature-enablement-type': 'duo_pro',
};

describe(IdentityFactory.name, () => {
  it('reads the GitLab headers and drops the feature flags disallowed for the realm', () => {
    expect(factory.debug(headers)).toEqual({
      isDebug: true,
      scopes: [],
      realm: 'saas',
      instanceId: 'inst-1',
      globalUserId: 'user-1',
      userId: undefined,
      hostName: 'gitlab.example.com',
      gitlabVersion: '18.2.0',
      featureEnabledByNamespaceIds: [9, 42],
      featureEnablementType: 'duo_pro',
      enabledFeatureFlags: ['ai_commit_reader_for_chat'],
    });
  });

  it('keeps every flag for a realm without a disallowed list', () => {
    const identity = factory.debug({ ...headers, 'x-gitlab-realm': 'self-managed' });
    expect(identity.enabledFeatureFlags).toEqual(['expanded_ai_logging', 'ai_commit_reader_for_chat']);
  });

  it('takes scopes, issuer and claims from a verified token, falling back to claims for absent headers', () => {
    const claims = {
      iss: 'https://gitlab.example.com',
      scopes: ['duo_chat', 7],
      gitlab_realm: 'saas',
      gitlab_instance_id: 'inst-9',
    };
    const identity = factory.verified(
      { claims, keySource: 'https://gitlab.example.com' },
      { 'x-gitlab-enabled-feature-flags': 'expanded_ai_logging' },
    );
    expect(identity).toMatchObject({
      isDebug: false,
      scopes: ['duo_chat'],
      issuer: 'https://gitlab.example.com',
      keySource: 'https://gitlab.example.com',
      realm: 'saas',
      instanceId: 'inst-9',
      enabledFeatureFlags: [],
      claims,
    });
  });

  it('reads the legacy namespace-ids header', () => {
    const identity = factory.debug({ 'x-gitlab-saas-duo-pro-namespace-ids': '5' });
    expect(identity.featureEnabledByNamespaceIds).toEqual([5]);
  });
});
