import { generateKeyPairSync } from 'node:crypto';
import { FakeOidcProvider, issueTlsMaterial, startUnresponsiveProvider } from './fakes/oidc-provider';
import { startGateway, TestGateway } from './helpers/gateway';
import { authHeaders } from './helpers/tokens';

const SIGNING_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
});
const FORBIDDEN = { status: 401, body: { error: 'Forbidden by auth provider' } };

/** A gateway trusting `gitlabUrls` only, with env overrides. */
const gatewayFor = (gitlabUrls: string[], env: Record<string, string> = {}) =>
  startGateway({
    AIGW_GITLAB_URL: gitlabUrls.join(','),
    AIGW_CUSTOMER_PORTAL_URL: '',
    AIGW_SELF_SIGNED_JWT__SIGNING_KEY: String(SIGNING_KEY),
    ...env,
  });

/** `POST /v1/code/user_access_token` needs `complete_code`: a 200 proves the caller authenticated. */
async function issueUserToken(gateway: TestGateway, headers: Record<string, string>) {
  const response = await fetch(`${gateway.baseUrl}/v1/code/user_access_token`, { method: 'POST', headers });
  return { status: response.status, body: await response.json() };
}

async function readiness(gateway: TestGateway) {
  const body = (await (await fetch(`${gateway.baseUrl}/monitoring/ready`)).json()) as {
    details: Record<string, unknown>;
  };
  return body.details.auth_key_sources;
}

type KeySources = { status: string; sources: Array<{ reachable: boolean | null }> };

/** Readiness's key sources once `done` holds for them (the background probe answers within milliseconds here). */
async function until(gateway: TestGateway, done: (sources: KeySources) => boolean): Promise<KeySources> {
  for (;;) {
    const sources = (await readiness(gateway)) as KeySources;
    if (done(sources)) return sources;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** http-api.md §1.3 and §9.5/§9.10: OIDC discovery, caching, rotation, outages, TLS, several instances. */
describe('Authentication key sources', () => {
  let gitlab: FakeOidcProvider;
  let gateway: TestGateway | undefined;

  beforeEach(async () => {
    gitlab = await FakeOidcProvider.start();
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await gitlab.close();
  });

  it('fetches keys at start-up, before any token needs them, and reports the provider reachable', async () => {
    gateway = await gatewayFor([gitlab.issuer]);
    const ready = await until(gateway, (sources) => sources.sources[0].reachable !== null);
    expect(ready).toEqual({
      status: 'up',
      sources: [{ origin: gitlab.issuer, reachable: true, keys: 1, fetchedAt: expect.any(String) }],
    });
    expect([gitlab.discoveryRequests, gitlab.jwksRequests]).toEqual([1, 1]);
    await expect(issueUserToken(gateway, authHeaders(gitlab))).resolves.toMatchObject({ status: 200 });
    expect([gitlab.discoveryRequests, gitlab.jwksRequests]).toEqual([1, 1]);
  });

  it('reports reachable null (unknown, degraded) until a provider first answers, with readiness still 200', async () => {
    const silent = await startUnresponsiveProvider();
    try {
      gateway = await gatewayFor([silent.url]);
      const ready = await fetch(`${gateway.baseUrl}/monitoring/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { details: Record<string, unknown> }).details.auth_key_sources).toEqual({
        status: 'degraded',
        sources: [{ origin: silent.url, reachable: null, keys: 0 }],
      });
    } finally {
      await gateway?.close();
      gateway = undefined;
      await silent.close();
    }
  });

  it('keeps to the refetch floor: a kid published right after a fetch waits for the next one', async () => {
    gateway = await gatewayFor([gitlab.issuer]);
    await issueUserToken(gateway, authHeaders(gitlab));
    gitlab.rotate();
    await expect(issueUserToken(gateway, authHeaders(gitlab))).resolves.toEqual(FORBIDDEN);
    expect(gitlab.jwksRequests).toBe(1);
  });

  it('picks up a rotated key without a restart', async () => {
    gateway = await gatewayFor([gitlab.issuer], { AIGW_AUTH__KEY_REFETCH_MIN_INTERVAL_S: '0' });
    await expect(issueUserToken(gateway, authHeaders(gitlab))).resolves.toMatchObject({ status: 200 });
    gitlab.rotate(true);
    await expect(issueUserToken(gateway, authHeaders(gitlab))).resolves.toMatchObject({ status: 200 });
    expect(gitlab.jwksRequests).toBe(2);
  });

  it('answers 401 while the JWKS is down, reports readiness degraded (never down), and recovers when it is back', async () => {
    gitlab.failing = true;
    gateway = await gatewayFor([gitlab.issuer], { AIGW_AUTH__KEY_REFETCH_MIN_INTERVAL_S: '0' });
    await expect(issueUserToken(gateway, authHeaders(gitlab))).resolves.toEqual(FORBIDDEN);
    const ready = await fetch(`${gateway.baseUrl}/monitoring/ready`);
    expect(ready.status).toBe(200);
    await expect(readiness(gateway)).resolves.toEqual({
      status: 'degraded',
      sources: [{ origin: gitlab.issuer, reachable: false, keys: 0, error: expect.stringContaining('HTTP 503') }],
    });

    gitlab.failing = false;
    await expect(issueUserToken(gateway, authHeaders(gitlab))).resolves.toMatchObject({ status: 200 });
    await expect(readiness(gateway)).resolves.toMatchObject({ status: 'up', sources: [{ reachable: true, keys: 1 }] });
  });

  it('accepts tokens of every GitLab instance in AIGW_GITLAB_URL', async () => {
    const second = await FakeOidcProvider.start();
    try {
      gateway = await gatewayFor([gitlab.issuer, second.issuer]);
      await expect(issueUserToken(gateway, authHeaders(gitlab))).resolves.toMatchObject({ status: 200 });
      await expect(issueUserToken(gateway, authHeaders(second))).resolves.toMatchObject({ status: 200 });
    } finally {
      await second.close();
    }
  });

  it('is not held up by a customer portal that never answers', async () => {
    const silent = await startUnresponsiveProvider();
    try {
      gateway = await gatewayFor([gitlab.issuer], { AIGW_CUSTOMER_PORTAL_URL: silent.url });
      await expect(issueUserToken(gateway, authHeaders(gitlab))).resolves.toMatchObject({ status: 200 });
    } finally {
      await gateway?.close();
      gateway = undefined;
      await silent.close();
    }
  });

  it('reads keys over HTTPS from a GitLab whose CA is only in SSL_CERT_FILE', async () => {
    const tls = issueTlsMaterial();
    const secure = await FakeOidcProvider.start(tls);
    const untrusting = await gatewayFor([secure.issuer]);
    try {
      gateway = await gatewayFor([secure.issuer], { SSL_CERT_FILE: tls.caFile });
      await expect(issueUserToken(gateway, authHeaders(secure))).resolves.toMatchObject({ status: 200 });
      await expect(issueUserToken(untrusting, authHeaders(secure))).resolves.toEqual(FORBIDDEN);
      await expect(readiness(untrusting)).resolves.toMatchObject({
        status: 'degraded',
        sources: [{ reachable: false }],
      });
    } finally {
      await untrusting.close();
      await secure.close();
    }
  });
});
