import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { HeaderBag, Identity } from './identity';

/**
 * Verifies a bearer token against the configured key sources. Until key sources land (#3) no token is
 * accepted: the gateway fails closed.
 */
@Injectable()
export class TokenVerifier {
  async verify(_token: string, _headers: HeaderBag): Promise<Identity> {
    throw new AppError(ErrorCode.Unauthenticated, 'Forbidden by auth provider');
  }
}
