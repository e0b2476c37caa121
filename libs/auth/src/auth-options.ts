/** What libs/auth needs from the configuration; the app provides it under {@link AUTH_OPTIONS}. */
export interface AuthOptions {
  bypassExternal: boolean;
  bypassExternalWithHeader: boolean;
  bypassJwtSignature: boolean;
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
