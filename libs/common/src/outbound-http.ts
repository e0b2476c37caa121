import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'undici';

export interface OutboundHttpOptions {
  /** Extra PEM bundle (SSL_CERT_FILE / REQUESTS_CA_BUNDLE) trusted besides the system roots; empty: none. */
  caBundleFile: string;
  maxConnectionsPerOrigin: number;
  connectTimeoutS: number;
  /** Longest silence while waiting for headers or between body bytes. */
  readTimeoutS: number;
  keepAliveTimeoutS: number;
}

export const OUTBOUND_HTTP_OPTIONS = Symbol('OUTBOUND_HTTP_OPTIONS');

/**
 * The one outbound HTTP(S) client setup, shared by key fetching (libs/auth) and model calls (libs/models):
 * an undici Agent keeping a keep-alive pool per origin, with explicit limits and the custom CA bundle.
 */
@Injectable()
export class OutboundHttp implements OnApplicationShutdown {
  readonly dispatcher: Agent;

  constructor(@Inject(OUTBOUND_HTTP_OPTIONS) options: OutboundHttpOptions) {
    const ca = options.caBundleFile ? [...rootCertificates, readFileSync(options.caBundleFile, 'utf8')] : undefined;
    this.dispatcher = new Agent({
      connections: options.maxConnectionsPerOrigin,
      keepAliveTimeout: options.keepAliveTimeoutS * 1000,
      headersTimeout: options.readTimeoutS * 1000,
      bodyTimeout: options.readTimeoutS * 1000,
      connect: { timeout: options.connectTimeoutS * 1000, ...(ca ? { ca } : {}) },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
