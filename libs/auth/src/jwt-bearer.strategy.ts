import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { JwtClaims, decodeJwt, loggableHeader } from './jwt-codec';
import { KeySet } from './key-set';
import { VerificationKey } from './verification-key';

/** What the strategy authenticates: a bare token (HTTP header or gRPC metadata, already unwrapped). */
interface BearerAttempt {
  token: string;
  key?: VerificationKey;
}

export interface VerifiedToken {
  claims: JwtClaims;
  /** Where the key that verified the signature came from. */
  keySource: string;
}

/** Why a token was refused; the message goes to the log only, never to the client. */
export class TokenRejection extends Error {
  override readonly name = 'TokenRejection';
}

type KeyCallback = (error: Error | null, key?: string | Buffer) => void;

/**
 * passport-jwt over the merged key set of one audience: the key provider picks the key (by `kid`, else by
 * trying each), jsonwebtoken checks RS256 and the signature. Registered claims are checked by the caller
 * against the injected clock, so skipped signature checks (http-api.md §1.6) share the same rules.
 */
export class JwtBearerStrategy extends PassportStrategy(Strategy) {
  constructor(keys: KeySet) {
    super({
      jwtFromRequest: (attempt: BearerAttempt) => attempt.token,
      secretOrKeyProvider: (attempt: BearerAttempt, rawToken: string, done: KeyCallback) => {
        provideKey(keys, attempt, rawToken).then(
          // jsonwebtoken 9 takes a KeyObject; @types/passport-jwt still says string | Buffer.
          (key) => done(null, key as unknown as Buffer),
          (error: Error) => done(error),
        );
      },
      algorithms: ['RS256'],
      ignoreExpiration: true,
      jsonWebTokenOptions: { ignoreNotBefore: true },
      passReqToCallback: true,
    });
  }

  validate(attempt: BearerAttempt, claims: JwtClaims): VerifiedToken {
    return { claims, keySource: (attempt.key as VerificationKey).source };
  }

  /** Runs the strategy as `passport.authenticate()` would, without an HTTP framework around it. */
  verify(token: string): Promise<VerifiedToken> {
    return new Promise((resolve, reject) => {
      const run = Object.create(this) as Record<string, unknown> & { authenticate(attempt: BearerAttempt): void };
      run.success = (verified: VerifiedToken) => resolve(verified);
      run.fail = (reason: unknown) =>
        reject(new TokenRejection(reason instanceof Error ? reason.message : String(reason)));
      run.error = (error: unknown) => reject(error);
      run.authenticate({ token });
    });
  }
}

async function provideKey(keys: KeySet, attempt: BearerAttempt, rawToken: string) {
  const jwt = decodeJwt(rawToken);
  if (!jwt) throw new TokenRejection('malformed token');
  const found = await keys.keyFor(jwt);
  if (!found) throw new TokenRejection(`no key matches (kid ${loggableHeader(jwt.header.kid)})`);
  attempt.key = found;
  return found.key;
}
