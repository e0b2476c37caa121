import { Inject, Injectable } from '@nestjs/common';
import { gatewayProfile } from './audience-profile';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { Clock } from './clock';
import { Identity } from './identity';
import { IssuedToken, SelfSignedTokenSigner } from './self-signed-token-signer';

export interface UserAccessTokenSubject {
  globalUserId: string;
  realm: string;
  instanceId: string;
}

/** The UJWT of http-api.md §1.7: completions only, for one user of one instance. */
@Injectable()
export class UserAccessTokenIssuer {
  private readonly signer: SelfSignedTokenSigner;

  constructor(@Inject(AUTH_OPTIONS) options: AuthOptions, clock: Clock) {
    const profile = gatewayProfile(options);
    this.signer = new SelfSignedTokenSigner(profile.serviceName, profile.signingKey, clock);
  }

  /** False without `AIGW_SELF_SIGNED_JWT__SIGNING_KEY`: issuing would fail. */
  get canSign(): boolean {
    return this.signer.canSign;
  }

  issue(caller: Identity, subject: UserAccessTokenSubject): IssuedToken {
    const seats = caller.claims?.duo_seat_count;
    return this.signer.sign({
      sub: subject.globalUserId,
      gitlab_realm: subject.realm,
      gitlab_instance_id: subject.instanceId,
      scopes: ['complete_code'],
      ...(typeof seats === 'string' && seats.trim() !== '' ? { duo_seat_count: seats } : {}),
    });
  }
}
