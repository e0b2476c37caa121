import { Logger } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { AudienceProfile } from './audience-profile';
import { Clock } from './clock';
import { headerMismatch, seatCountDiscrepancy } from './header-consistency';
import { HeaderBag, Identity } from './identity';
import { IdentityFactory } from './identity-factory';
import { JwtBearerStrategy, TokenRejection, VerifiedToken } from './jwt-bearer.strategy';
import { DecodedJwt, decodeJwt, loggableHeader } from './jwt-codec';
import { KeySet } from './key-set';
import { registeredClaimsProblem } from './registered-claims';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Node and upstream's server both refuse header blocks over 16 KiB, so no working token is longer; the same
 * bound on gRPC (which allows larger metadata) keeps us from decoding huge blobs.
 */
export const MAX_TOKEN_LENGTH = 12 * 1024;

const FORBIDDEN = 'Forbidden by auth provider';

const refuse = (message: string, reason: string) =>
  new AppError(ErrorCode.Unauthenticated, message, { cause: new TokenRejection(reason) });

/** Steps 6–9 of http-api.md §1.2 for one audience; shared by the HTTP hook and the gRPC authenticator. */
export class TokenVerifier {
  private readonly strategy: JwtBearerStrategy;
  private readonly cache = new VerifiedTokenCache();
  private readonly logger = new Logger('auth');

  constructor(
    readonly profile: AudienceProfile,
    readonly keys: KeySet,
    private readonly identities: IdentityFactory,
    private readonly clock: Clock,
  ) {
    this.strategy = new JwtBearerStrategy(keys);
  }

  /** Throws an `Unauthenticated` AppError whose message is contract and whose cause says why. */
  async verify(token: string, headers: HeaderBag): Promise<Identity> {
    const verified = await this.verifiedToken(token);
    const mismatch = headerMismatch(verified.claims, headers, this.profile.serviceName);
    if (mismatch) throw refuse(mismatch, mismatch);
    const seats = seatCountDiscrepancy(verified.claims, headers);
    if (seats) this.logger.log(seats);
    return this.identities.verified(verified, headers);
  }

  private async verifiedToken(token: string): Promise<VerifiedToken> {
    const nowS = this.clock.nowS();
    const cached = this.cache.get(token, nowS);
    if (cached) return cached;
    if (token.length > MAX_TOKEN_LENGTH) throw refuse(FORBIDDEN, `token longer than ${MAX_TOKEN_LENGTH} characters`);
    const jwt = decodeJwt(token);
    if (!jwt) throw refuse(FORBIDDEN, 'malformed token');
    if (jwt.header.alg !== 'RS256') throw refuse(FORBIDDEN, `algorithm ${loggableHeader(jwt.header.alg)} is not RS256`);
    // RFC 7515 §4.1.11: a token naming extensions the recipient must understand is refused; we understand none.
    if (jwt.header.crit !== undefined) {
      throw refuse(FORBIDDEN, `critical header parameters ${loggableHeader(jwt.header.crit)} are not understood`);
    }
    const verified = this.profile.skipSignature ? await this.unsigned(jwt) : await this.signed(token);
    const problem = registeredClaimsProblem(verified.claims, this.profile.serviceName, nowS);
    if (problem) throw refuse(FORBIDDEN, problem);
    this.cache.set(token, verified, verified.claims.exp as number);
    return verified;
  }

  private async signed(token: string, retried = false): Promise<VerifiedToken> {
    try {
      return await this.strategy.verify(token);
    } catch (error) {
      if (!(error instanceof TokenRejection)) throw error;
      // The named key may have been replaced under the same kid (http-api.md §9.5): refetch once.
      if (!retried && error.message === 'invalid signature' && (await this.keys.refetch())) {
        return this.signed(token, true);
      }
      throw refuse(FORBIDDEN, this.keys.isEmpty() ? this.noKeys() : error.message);
    }
  }

  /** `AIGW_AUTH__BYPASS_JWT_SIGNATURE` (http-api.md §1.6): claims are still checked, keys must exist. */
  private async unsigned(jwt: DecodedJwt): Promise<VerifiedToken> {
    await this.keys.load();
    if (this.keys.isEmpty()) throw refuse(FORBIDDEN, this.noKeys());
    return { claims: jwt.payload, keySource: 'unverified' };
  }

  /** http-api.md §9.10: a 401 rather than upstream's 500, with the cause in the log. */
  private noKeys(): string {
    this.logger.error({
      message: 'No keys founds in JWKS; are OIDC providers up?',
      sources: this.keys.sources.map((source) => source.status()),
    });
    return 'no keys in JWKS';
  }
}

/** The {@link TokenVerifier} of the AI gateway audience (HTTP). */
export const GATEWAY_VERIFIER = Symbol('GATEWAY_VERIFIER');
/** The {@link TokenVerifier} of the Duo Workflow audience (gRPC). */
export const WORKFLOW_VERIFIER = Symbol('WORKFLOW_VERIFIER');
