interface SelfSignedKeys {
  /** RSA private key PEM; empty: none. */
  signingKey: string;
  /** The previous signing key, kept so its tokens stay valid during rotation; empty: none. */
  validationKey: string;
}

/**
 * What libs/auth reads from the configuration (a structural subset of the app's config, so the app can pass
 * its config object as is); provided under {@link AUTH_OPTIONS}.
 */
export interface AuthOptions {
  gitlabUrl: readonly string[];
  /** Empty: off. */
  customerPortalUrl: string;
  cloudConnectorServiceName: string;
  auth: {
    bypassExternal: boolean;
    bypassExternalWithHeader: boolean;
    bypassJwtSignature: boolean;
    /** Floor between two fetches of the same OIDC provider's keys. */
    keyRefetchMinIntervalS: number;
    /** How often readiness fetches every provider's keys in the background; default 60. */
    keyProbeIntervalS?: number;
  };
  selfSignedJwt: SelfSignedKeys;
  featureFlags: { disallowedFlags: Record<string, string[]> };
  duoWorkflow: {
    auth: { enabled: boolean; oidcGitlabUrl: string; oidcCustomerPortalUrl: string };
    selfSignedJwt: SelfSignedKeys;
    cloudConnectorServiceName: string;
  };
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
