import { Dispatcher, interceptors, request } from 'undici';

export interface ProbeResponse {
  status: number;
  body: string;
}

/** Why a request got no HTTP answer, and what usually fixes it. */
export interface NetworkFailure {
  reason: string;
  fix: string;
}

const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

const TRUST_FIX =
  'The certificate is signed by a CA this gateway does not trust: mount the CA bundle (PEM) into the ' +
  'container and point SSL_CERT_FILE (or REQUESTS_CA_BUNDLE) at it.';

/** Plain GET/POST through the gateway's outbound HTTP client (same CA bundle), with a time limit. */
export class HttpProbe {
  private readonly redirecting: Dispatcher;

  constructor(private readonly dispatcher: Dispatcher) {
    this.redirecting = dispatcher.compose(interceptors.redirect({ maxRedirections: 3 }));
  }

  async send(
    url: string,
    init: {
      method?: 'GET' | 'POST';
      headers?: Record<string, string>;
      json?: unknown;
      timeoutS: number;
      followRedirects?: boolean;
    },
  ): Promise<ProbeResponse> {
    const response = await request(url, {
      method: init.method ?? 'GET',
      dispatcher: init.followRedirects ? this.redirecting : this.dispatcher,
      headers: {
        accept: 'application/json',
        ...(init.json ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.json ? JSON.stringify(init.json) : undefined,
      signal: AbortSignal.timeout(init.timeoutS * 1000),
    });
    return { status: response.statusCode, body: await response.body.text() };
  }
}

export function describeNetworkFailure(error: unknown, url: string): NetworkFailure {
  const code = errorCode(error);
  const host = safeHost(url);
  if (code && TLS_TRUST_CODES.has(code)) return { reason: `TLS: ${code}`, fix: TRUST_FIX };
  if (code === 'CERT_HAS_EXPIRED')
    return { reason: 'TLS: the certificate has expired', fix: `Renew the certificate of ${host}.` };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      reason: `TLS: the certificate is not valid for ${host}`,
      fix: 'Use the host name the certificate was issued for.',
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      reason: `cannot resolve ${host}`,
      fix: `Check the host name and the container's DNS (with Docker, is ${host} reachable from the gateway's network?).`,
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      reason: `connection refused by ${host}`,
      fix: 'Check that the server is running and listening on that port and address (not only on 127.0.0.1 of another container).',
    };
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return {
      reason: `connection to ${host} closed unexpectedly`,
      fix: 'A proxy or firewall may cut the connection; http:// vs https:// may be mixed up.',
    };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || isTimeout(error)) {
    return {
      reason: `no answer from ${host} in time`,
      fix: 'Check firewalls and proxies between the gateway and that host.',
    };
  }
  return { reason: messageOf(error), fix: `Check that ${url} is reachable from where the gateway runs.` };
}

function errorCode(error: unknown): string | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code) return code;
  }
  return undefined;
}

const isTimeout = (error: unknown) =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
