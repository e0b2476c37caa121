import { generateKeyPairSync, verify } from 'node:crypto';
import { AuthOptions } from './auth-options';
import { Clock } from './clock';
import { Identity } from './identity';
import { DecodedJwt, decodeJwt } from './jwt-codec';
import { UserAccessTokenIssuer } from './user-access-token-issuer';

const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const optionsWith = (signingKey: string) =>
  ({
    gitlabUrl: [],
    customerPortalUrl: '',
    cloudConnectorServiceName: 'gitlab-ai-gateway',
    auth: { bypassJwtSignature: false },
    selfSignedJwt: { signingKey, validationKey: '' },
  }) as unknown as AuthOptions;
const subject = { globalUserId: 'user-1', realm: 'self-managed', instanceId: 'inst-1' };
const caller = (claims: Record<string, unknown>): Identity => ({
  isDebug: false,
  scopes: ['complete_code'],
  claims,
  featureEnabledByNamespaceIds: [],
  enabledFeatureFlags: [],
});

describe(UserAccessTokenIssuer.name, () => {
  const issuer = new UserAccessTokenIssuer(
    optionsWith(signing.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    new Clock(),
  );

  it('issues the UJWT of http-api.md §1.7, carrying a non-blank duo_seat_count', () => {
    const { token, expiresAt } = issuer.issue(caller({ duo_seat_count: '12' }), subject);
    const jwt = decodeJwt(token) as DecodedJwt;
    expect(verify('sha256', Buffer.from(jwt.signingInput), signing.publicKey, jwt.signature)).toBe(true);
    expect(jwt.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(jwt.payload).toMatchObject({
      iss: 'gitlab-ai-gateway',
      aud: 'gitlab-ai-gateway',
      sub: 'user-1',
      gitlab_realm: 'self-managed',
      gitlab_instance_id: 'inst-1',
      scopes: ['complete_code'],
      duo_seat_count: '12',
    });
    expect(jwt.payload.exp).toBe(expiresAt);
    expect(expiresAt - (jwt.payload.iat as number)).toBe(3600);
    expect(jwt.payload.nbf).toBe(jwt.payload.iat);
  });

  it('leaves out a blank duo_seat_count', () => {
    const jwt = decodeJwt(issuer.issue(caller({ duo_seat_count: ' ' }), subject).token) as DecodedJwt;
    expect(jwt.payload).not.toHaveProperty('duo_seat_count');
  });

  it('cannot sign without AIGW_SELF_SIGNED_JWT__SIGNING_KEY', () => {
    expect(new UserAccessTokenIssuer(optionsWith(''), new Clock()).canSign).toBe(false);
    expect(issuer.canSign).toBe(true);
  });
});
