import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo, createServer as createTcpServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenSigner } from '../helpers/tokens';

export interface PublishedKey {
  kid: string;
  privateKey: KeyObject;
}

export interface TlsMaterial {
  /** PEM of the CA, for `SSL_CERT_FILE`. */
  caFile: string;
  key: string;
  cert: string;
}

/**
 * Stand-in GitLab as an OIDC provider on loopback: `/.well-known/openid-configuration` naming
 * `/oauth/discovery/keys` (GitLab's JWKS path), which publishes RSA keys generated per run.
 *
 * ```ts
 * const gitlab = await FakeOidcProvider.start();
 * authHeaders(gitlab);               // signs with the newest key, `iss` = gitlab.issuer
 * gitlab.rotate();                   // publish a new key and sign with it from now on
 * gitlab.failing = true;             // discovery and JWKS answer 503
 * ```
 */
export class FakeOidcProvider implements TokenSigner {
  readonly keys: PublishedKey[] = [];
  /** Published after the signing keys, as they are (e.g. an EC or an encryption key). */
  extraJwks: unknown[] = [];
  discoveryRequests = 0;
  jwksRequests = 0;
  failing = false;

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {
    this.rotate();
  }

  /** Plain HTTP, or HTTPS with `tls` (see {@link issueTlsMaterial}). */
  static async start(tls?: TlsMaterial): Promise<FakeOidcProvider> {
    const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }) : createHttpServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const provider = new FakeOidcProvider(server, `${tls ? 'https' : 'http'}://127.0.0.1:${port}`);
    server.on('request', (request, response) => provider.answer(request, response));
    return provider;
  }

  get privateKey(): KeyObject {
    return this.keys[this.keys.length - 1].privateKey;
  }

  get kid(): string {
    return this.keys[this.keys.length - 1].kid;
  }

  /** Publishes a new key, used for signing from now on; `retire` drops the older ones from the JWKS. */
  rotate(retire = false): PublishedKey {
    const key = { kid: randomUUID(), privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
    if (retire) this.keys.splice(0);
    this.keys.push(key);
    return key;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url ?? '';
    if (path === '/.well-known/openid-configuration') this.discoveryRequests++;
    if (path === '/oauth/discovery/keys') this.jwksRequests++;
    if (this.failing) return this.send(response, 503, { error: 'unavailable' });
    if (path === '/.well-known/openid-configuration') {
      return this.send(response, 200, { issuer: this.issuer, jwks_uri: `${this.issuer}/oauth/discovery/keys` });
    }
    if (path === '/oauth/discovery/keys')
      return this.send(response, 200, { keys: [...this.keys.map(publicJwk), ...this.extraJwks] });
    this.send(response, 404, { error: 'not found' });
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

function publicJwk({ kid, privateKey }: PublishedKey) {
  const { n, e } = privateKey.export({ format: 'jwk' });
  return { kty: 'RSA', kid, n, e, use: 'sig', alg: 'RS256' };
}

/** A throw-away CA and a certificate for 127.0.0.1 signed by it (openssl CLI), for the HTTPS provider. */
export function issueTlsMaterial(): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'fake-oidc-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (args: string) => execFileSync('openssl', args.split(' '), { cwd: dir, stdio: 'pipe' });
  writeFileSync(file('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=fake-ca -keyout ca.key -out ca.pem');
  openssl('req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr');
  openssl('x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -extfile san.cnf -out server.pem');
  return {
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
  };
}

/** A provider that accepts connections and never answers, like a firewalled CustomersDot. */
export async function startUnresponsiveProvider(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
