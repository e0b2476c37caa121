import { generateKeyPairSync } from 'node:crypto';
import { OutboundHttp } from '@app/common';
import { FakeOidcProvider } from '@test/fakes/oidc-provider';
import { OidcKeyFetcher } from './oidc-key-fetcher';

describe(OidcKeyFetcher.name, () => {
  let gitlab: FakeOidcProvider;
  let http: OutboundHttp;
  let fetcher: OidcKeyFetcher;

  beforeAll(async () => {
    gitlab = await FakeOidcProvider.start();
    http = new OutboundHttp({
      caBundleFile: '',
      maxConnectionsPerOrigin: 4,
      connectTimeoutS: 10,
      readTimeoutS: 10,
      keepAliveTimeoutS: 1,
    });
    fetcher = new OidcKeyFetcher(http);
  });
  afterAll(async () => {
    await http.onApplicationShutdown();
    await gitlab.close();
  });
  beforeEach(() => {
    gitlab.failing = false;
    gitlab.extraJwks = [];
  });

  it('follows discovery to the JWKS and returns its RSA signing keys', async () => {
    const keys = await fetcher.fetchKeys(gitlab.issuer);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid: gitlab.kid, source: gitlab.issuer });
    expect(keys[0].key.export({ format: 'jwk' })).toEqual(
      expect.objectContaining({ n: gitlab.privateKey.export({ format: 'jwk' }).n }),
    );
  });

  it('leaves out keys that cannot verify RS256', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    gitlab.extraJwks = [
      { ...ec, kid: 'ec' },
      { ...rsa, kid: 'enc', use: 'enc' },
      { ...rsa, kid: 'ps', alg: 'PS256' },
      { kty: 'RSA', kid: 'broken', n: 'AQAB' },
      'not a key',
    ];
    const keys = await fetcher.fetchKeys(gitlab.issuer);
    expect(keys.map(({ kid }) => kid)).toEqual([gitlab.kid]);
  });

  it('rejects with the failing URL and status', async () => {
    gitlab.failing = true;
    await expect(fetcher.fetchKeys(gitlab.issuer)).rejects.toThrow(
      `${gitlab.issuer}/.well-known/openid-configuration: HTTP 503`,
    );
  });
});
