import { Metadata } from '@grpc/grpc-js';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { workflowProfile } from './audience-profile';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { Clock } from './clock';
import { headerValue, Identity } from './identity';
import { metadataHeaders } from './metadata-headers';
import { IssuedToken, SelfSignedTokenSigner } from './self-signed-token-signer';
import { can } from './unit-primitives';
import { WORKFLOW_SERVED_PRIMITIVES, workflowPrimitives } from './workflow-primitives';

/** Caller claims carried into issued tokens; nothing else is propagated (agent-platform.md §5.4). */
const PROPAGATED_CLAIMS = [
  'gitlab_instance_uid',
  'skip_usage_cutoff',
  'tool_access_policies',
  'gitlab_root_namespace_id',
];
/** The primitive older DWS versions checked; still accepted (agent-platform.md §5.3). */
const LEGACY_GENERATE_TOKEN_PRIMITIVE = 'duo_workflow_generate_token';

/** The token `GenerateToken` returns (agent-platform.md §5.4), after the §5.3 authorisation. */
@Injectable()
export class WorkflowTokenIssuer {
  private readonly serviceName: string;
  private readonly signer: SelfSignedTokenSigner;

  constructor(@Inject(AUTH_OPTIONS) options: AuthOptions, clock: Clock) {
    const profile = workflowProfile(options);
    this.serviceName = profile.serviceName;
    this.signer = new SelfSignedTokenSigner(profile.serviceName, profile.signingKey, clock);
  }

  /**
   * Throws `PermissionDenied` "Unauthorized to generate token" for a caller without the primitive or holding
   * a token this service issued, and `InternalByContract` without `DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY`.
   */
  issue(caller: Identity, metadata: Metadata, workflowDefinition?: string): IssuedToken {
    const primitives = [...workflowPrimitives(workflowDefinition), LEGACY_GENERATE_TOKEN_PRIMITIVE];
    if (!primitives.some((primitive) => can(caller, primitive, [this.serviceName]))) {
      throw new AppError(ErrorCode.PermissionDenied, 'Unauthorized to generate token');
    }
    const headers = metadataHeaders(metadata);
    const claims = caller.claims ?? {};
    return this.signer.sign({
      sub: headerValue(headers, 'x-gitlab-global-user-id'),
      gitlab_realm: headerValue(headers, 'x-gitlab-realm'),
      gitlab_instance_id: headerValue(headers, 'x-gitlab-instance-id'),
      scopes: caller.isDebug
        ? [...WORKFLOW_SERVED_PRIMITIVES]
        : caller.scopes.filter((scope) => WORKFLOW_SERVED_PRIMITIVES.has(scope)),
      ...Object.fromEntries(
        PROPAGATED_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => [name, claims[name]]),
      ),
    });
  }
}
