import { createPublicKey, JsonWebKey } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Dispatcher, interceptors, request } from 'undici';
import { OutboundHttp, Traces } from '@app/common';
import { VerificationKey } from './verification-key';

/** http-api.md §1.3. */
const TIMEOUT_MS = 10_000;
/** A JWKS is a few KiB; anything far larger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 3;

interface Jwk {
  kty?: unknown;
  use?: unknown;
  alg?: unknown;
  kid?: unknown;
}

/** The one client of OIDC providers: discovery document, then the JWKS it names. */
@Injectable()
export class OidcKeyFetcher implements BeforeApplicationShutdown {
  private readonly dispatcher: Dispatcher;
  /** Fetches still waiting on a provider would otherwise hold the shared client's graceful close for 10 s. */
  private readonly shutdown = new AbortController();

  constructor(http: OutboundHttp) {
    this.dispatcher = http.dispatcher.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTS }));
  }

  /** Rejects with a message safe to log when the provider cannot be read. */
  async fetchKeys(origin: string): Promise<VerificationKey[]> {
    const span = Traces.start('auth.fetch_keys', { 'url.full': origin }, 'client');
    try {
      const keys = await this.readKeys(origin);
      span?.setAttribute('aigw.auth.key_count', keys.length);
      Traces.end(span);
      return keys;
    } catch (error) {
      Traces.end(span, error);
      throw error;
    }
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }

  private async readKeys(origin: string): Promise<VerificationKey[]> {
    const discovery = await this.getJson(new URL('/.well-known/openid-configuration', origin));
    const jwksUri = discovery.jwks_uri;
    if (typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri)) {
      throw new Error(`${origin}: discovery document has no http(s) jwks_uri`);
    }
    const jwks = await this.getJson(new URL(jwksUri));
    if (!Array.isArray(jwks.keys)) throw new Error(`${jwksUri}: no "keys" list`);
    return jwks.keys.flatMap((jwk: unknown) => toVerificationKey(jwk, origin));
  }

  private async getJson(url: URL): Promise<Record<string, unknown>> {
    const response = await request(url, {
      dispatcher: this.dispatcher,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      signal: AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), this.shutdown.signal]),
      headers: { accept: 'application/json' },
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`${url.href}: HTTP ${response.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        response.body.destroy();
        throw new Error(`${url.href}: response larger than ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof value !== 'object' || value === null) throw new Error(`${url.href}: not a JSON object`);
    return value as Record<string, unknown>;
  }
}

/** RSA signing keys only; anything else in the set is ignored (tokens are RS256 only). */
function toVerificationKey(jwk: unknown, source: string): VerificationKey[] {
  if (typeof jwk !== 'object' || jwk === null) return [];
  const { kty, use, alg, kid } = jwk as Jwk;
  if (kty !== 'RSA' || (use !== undefined && use !== 'sig') || (alg !== undefined && alg !== 'RS256')) return [];
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return [{ kid: typeof kid === 'string' ? kid : undefined, key, source }];
  } catch {
    return [];
  }
}
