import { CLOCK_LEEWAY_S, registeredClaimsProblem } from './registered-claims';

const NOW = 1_700_000_000;
const AUDIENCE = 'gitlab-ai-gateway';
const valid = { aud: AUDIENCE, iat: NOW, nbf: NOW, exp: NOW + 3600 };

describe(registeredClaimsProblem.name, () => {
  it('accepts a current token for this audience', () => {
    expect(registeredClaimsProblem(valid, AUDIENCE, NOW)).toBeUndefined();
    expect(registeredClaimsProblem({ ...valid, aud: ['x', AUDIENCE] }, AUDIENCE, NOW)).toBeUndefined();
  });

  it(`tolerates ${CLOCK_LEEWAY_S} s of clock skew and no more`, () => {
    expect(registeredClaimsProblem({ ...valid, exp: NOW - CLOCK_LEEWAY_S + 1 }, AUDIENCE, NOW)).toBeUndefined();
    expect(registeredClaimsProblem({ ...valid, exp: NOW - CLOCK_LEEWAY_S }, AUDIENCE, NOW)).toBe('token has expired');
    expect(registeredClaimsProblem({ ...valid, nbf: NOW + CLOCK_LEEWAY_S }, AUDIENCE, NOW)).toBeUndefined();
    expect(registeredClaimsProblem({ ...valid, nbf: NOW + CLOCK_LEEWAY_S + 1 }, AUDIENCE, NOW)).toBe(
      'token is not valid yet',
    );
  });

  it('names the claim that is wrong', () => {
    expect(registeredClaimsProblem({ ...valid, aud: 'gitlab-duo-workflow-service' }, AUDIENCE, NOW)).toBe(
      'audience is not gitlab-ai-gateway',
    );
    expect(registeredClaimsProblem({ ...valid, exp: '1' }, AUDIENCE, NOW)).toBe('exp is missing or not a number');
    expect(registeredClaimsProblem({ ...valid, nbf: 'soon' }, AUDIENCE, NOW)).toBe('nbf is not a number');
    expect(registeredClaimsProblem({ ...valid, iat: null }, AUDIENCE, NOW)).toBe('iat is not a number');
  });

  it('refuses a token issued later than now plus the leeway (http-api.md §1.1 enforces iat)', () => {
    expect(registeredClaimsProblem({ ...valid, iat: NOW + CLOCK_LEEWAY_S }, AUDIENCE, NOW)).toBeUndefined();
    expect(registeredClaimsProblem({ ...valid, iat: NOW + 3600 }, AUDIENCE, NOW)).toBe(
      'token was issued in the future',
    );
  });
});
