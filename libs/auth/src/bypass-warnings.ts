import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';

/**
 * Says once at boot that authentication is weakened (http-api.md §1.6, agent-platform.md §5.2): a warning, as
 * it is the operator's choice, not a failure.
 */
@Injectable()
export class BypassWarnings implements OnApplicationBootstrap {
  private readonly logger = new Logger('auth');

  constructor(@Inject(AUTH_OPTIONS) private readonly options: AuthOptions) {}

  onApplicationBootstrap(): void {
    const { auth, duoWorkflow } = this.options;
    if (auth.bypassExternal) {
      this.logger.warn('AIGW_AUTH__BYPASS_EXTERNAL=true: every HTTP request is a debug user with every scope');
    }
    if (auth.bypassExternalWithHeader) {
      this.logger.warn(
        'AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER=true: any HTTP request with "Bypass-Auth: true" is a debug user with every scope',
      );
    }
    if (auth.bypassJwtSignature) {
      this.logger.warn('AIGW_AUTH__BYPASS_JWT_SIGNATURE=true: token signatures are not checked');
    }
    if (!duoWorkflow.auth.enabled) {
      this.logger.warn('DUO_WORKFLOW_AUTH__ENABLED=false: every gRPC call is a debug user allowed everything');
    }
  }
}
