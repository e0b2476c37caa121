/** Who is calling, as established by authentication; injected into handlers and logs. */
export interface Identity {
  /** Bypass user: every unit primitive is granted. */
  isDebug: boolean;
  scopes: readonly string[];
  issuer?: string;
  globalUserId?: string;
  realm?: string;
  instanceId?: string;
  hostName?: string;
  gitlabVersion?: string;
}

/** Header names are matched lower-case (Fastify and grpc-js both lower-case them). */
export type HeaderBag = Record<string, string | string[] | undefined>;

export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function debugIdentity(headers: HeaderBag): Identity {
  return {
    isDebug: true,
    scopes: [],
    globalUserId: headerValue(headers, 'x-gitlab-global-user-id'),
    realm: headerValue(headers, 'x-gitlab-realm'),
    instanceId: headerValue(headers, 'x-gitlab-instance-id'),
    hostName: headerValue(headers, 'x-gitlab-host-name'),
    gitlabVersion: headerValue(headers, 'x-gitlab-version'),
  };
}
