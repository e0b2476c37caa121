import { generateKeyPairSync, verify } from 'node:crypto';
import { decodeJwt, loggableHeader, signRs256 } from './jwt-codec';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe(decodeJwt.name, () => {
  it('splits a compact JWS into header, payload and the signed bytes', () => {
    const token = `${segment({ alg: 'RS256', kid: 'k' })}.${segment({ sub: 'x' })}.${Buffer.from('sig').toString('base64url')}`;
    expect(decodeJwt(token)).toEqual({
      header: { alg: 'RS256', kid: 'k' },
      payload: { sub: 'x' },
      signingInput: token.slice(0, token.lastIndexOf('.')),
      signature: Buffer.from('sig'),
    });
  });

  it.each([
    ['two parts', `${segment({})}.${segment({})}`],
    ['padding or other non-base64url characters', `${segment({})}=.${segment({})}.`],
    ['a payload that is not an object', `${segment({})}.${segment([1])}.`],
    ['a header that is not JSON', `bm9wZQ.${segment({})}.`],
  ])('refuses %s', (_case, token) => {
    expect(decodeJwt(token)).toBeUndefined();
  });
});

describe(signRs256.name, () => {
  it('signs with RS256 under a header without kid', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwt = decodeJwt(signRs256({ sub: 'user-1' }, privateKey));
    expect(jwt?.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(verify('sha256', Buffer.from(jwt!.signingInput), publicKey, jwt!.signature)).toBe(true);
  });
});

describe(loggableHeader.name, () => {
  it('quotes caller-supplied header values and cuts them short', () => {
    expect(loggableHeader(undefined)).toBe('none');
    expect(loggableHeader('x'.repeat(500))).toHaveLength(64);
  });
});
