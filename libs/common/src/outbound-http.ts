import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, Dispatcher, EnvHttpProxyAgent } from 'undici';

export interface OutboundHttpOptions {
  /** Extra PEM bundle (SSL_CERT_FILE / REQUESTS_CA_BUNDLE) trusted besides the system roots; empty: none. */
  caBundleFile: string;
  /** 0: no cap (a connection per concurrent request; idle ones closed after `keepAliveTimeoutS`). */
  maxConnectionsPerOrigin: number;
  connectTimeoutS: number;
  /** Longest silence while waiting for headers or between body bytes. */
  readTimeoutS: number;
  keepAliveTimeoutS: number;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY as configured; empty proxies: direct connections. */
  proxy?: { httpsProxy: string; httpProxy: string; noProxy: string };
}

export const OUTBOUND_HTTP_OPTIONS = Symbol('OUTBOUND_HTTP_OPTIONS');

/**
 * The one outbound HTTP(S) client setup, shared by key fetching (libs/auth) and model calls (libs/models):
 * an undici Agent keeping a keep-alive pool per origin, with explicit limits and the custom CA bundle.
 */
@Injectable()
export class OutboundHttp implements OnApplicationShutdown {
  readonly dispatcher: Dispatcher;

  constructor(@Inject(OUTBOUND_HTTP_OPTIONS) options: OutboundHttpOptions) {
    const ca = options.caBundleFile ? [...rootCertificates, readFileSync(options.caBundleFile, 'utf8')] : undefined;
    const agentOptions: Agent.Options = {
      connections: options.maxConnectionsPerOrigin || null,
      keepAliveTimeout: options.keepAliveTimeoutS * 1000,
      headersTimeout: options.readTimeoutS * 1000,
      bodyTimeout: options.readTimeoutS * 1000,
      connect: { timeout: options.connectTimeoutS * 1000, ...(ca ? { ca } : {}) },
    };
    this.dispatcher = withProxy(agentOptions, options.proxy) ?? new Agent(agentOptions);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}

/**
 * Through the proxies when one is configured: `CONNECT` tunnels for https and http targets alike, NO_PROXY hosts
 * direct. The proxy agents take TLS settings apart from the pool's `connect`: `requestTls` for the target behind
 * the tunnel, `proxyTls` for an https proxy; both get the CA bundle and the connect timeout. Empty values are
 * passed on as they are, so undici never reads the proxy variables from the environment itself.
 */
function withProxy(agentOptions: Agent.Options, proxy: OutboundHttpOptions['proxy']): Dispatcher | undefined {
  if (!proxy || (!proxy.httpsProxy && !proxy.httpProxy)) return undefined;
  const tls = agentOptions.connect as { timeout: number; ca?: string[] };
  return new EnvHttpProxyAgent({
    ...agentOptions,
    httpProxy: proxy.httpProxy,
    httpsProxy: proxy.httpsProxy || proxy.httpProxy,
    noProxy: proxy.noProxy,
    requestTls: tls,
    proxyTls: tls,
  });
}
