import { Controller, Headers, Logger, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentIdentity, Identity, RequireScope, UserAccessTokenIssuer } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { UserAccessTokenResponse } from './user-access-token.dto';

/** Checked in this order, each with its own 400 (http-api.md §1.7). */
const REQUIRED_HEADERS = ['X-Gitlab-Global-User-Id', 'X-Gitlab-Instance-Id', 'X-Gitlab-Realm'] as const;

function requiredHeader(headers: Record<string, string | undefined>, name: string): string {
  const value = headers[name.toLowerCase()];
  if (!value) throw new AppError(ErrorCode.BadRequest, `Missing ${name} header`);
  return value;
}

/** `POST /v1/code/user_access_token`: a UJWT for direct IDE access to code completions (http-api.md §1.7). */
@Controller('v1/code')
@ApiBearerAuth()
export class UserAccessTokenController {
  private readonly logger = new Logger('user_access_token');

  constructor(private readonly issuer: UserAccessTokenIssuer) {}

  @Post('user_access_token')
  @ApiOkResponse({ type: UserAccessTokenResponse })
  @RequireScope({
    primitives: ['complete_code'],
    message: 'Unauthorized to create user access token for code suggestions',
    rejectIssuers: ['gitlab-ai-gateway'],
  })
  create(
    @CurrentIdentity() identity: Identity,
    @Headers() headers: Record<string, string | undefined>,
    @Res() reply: FastifyReply,
  ): FastifyReply {
    const [globalUserId, instanceId, realm] = REQUIRED_HEADERS.map((name) => requiredHeader(headers, name));
    // A 500 with a JSON `detail` is contract here, unlike every other 500 (plain text), hence the manual reply.
    if (!this.issuer.canSign) {
      this.logger.error('Cannot issue a user access token: AIGW_SELF_SIGNED_JWT__SIGNING_KEY is not set');
      return reply.code(500).send({ detail: 'Failed to generate JWT' });
    }
    const { token, expiresAt } = this.issuer.issue(identity, { globalUserId, instanceId, realm });
    const body: UserAccessTokenResponse = { token, expires_at: expiresAt };
    return reply.code(200).send(body);
  }
}
