import { Metadata } from '@grpc/grpc-js';
import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { withAuthLogContext } from './auth-log-context';
import { bearerTokenOf } from './bearer-credentials';
import { Identity } from './identity';
import { IdentityFactory } from './identity-factory';
import { metadataHeaders } from './metadata-headers';
import { TokenVerifier, WORKFLOW_VERIFIER } from './token-verifier';

/**
 * Authenticates a DuoWorkflow call from its metadata (agent-platform.md §5.2): the HTTP steps and messages,
 * audience `gitlab-duo-workflow-service`. Called by the gRPC handlers, since a hybrid app does not run
 * global guards on its microservice.
 */
@Injectable()
export class GrpcAuthenticator {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Inject(WORKFLOW_VERIFIER) private readonly verifier: TokenVerifier,
    private readonly identities: IdentityFactory,
  ) {}

  /** Throws `AppError(ErrorCode.Unauthenticated, <contract message>)`, which the RPC filter turns into UNAUTHENTICATED. */
  authenticate(metadata: Metadata): Promise<Identity> {
    const headers = metadataHeaders(metadata);
    return withAuthLogContext(async () => {
      if (!this.options.duoWorkflow.auth.enabled) return this.identities.debug(headers);
      return this.verifier.verify(bearerTokenOf(headers), headers);
    });
  }
}
