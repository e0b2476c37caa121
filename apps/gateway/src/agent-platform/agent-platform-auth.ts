import { Metadata } from '@grpc/grpc-js';
import { Injectable } from '@nestjs/common';
import { GrpcAuthenticator, Identity } from '@app/auth';
import { AgentPlatformMetrics } from './agent-platform-metrics';

/** Authentication of every DuoWorkflow RPC, with refusals counted by error code (as HTTP's are). */
@Injectable()
export class AgentPlatformAuth {
  constructor(
    private readonly auth: GrpcAuthenticator,
    private readonly metrics: AgentPlatformMetrics,
  ) {}

  async authenticate(metadata: Metadata): Promise<Identity> {
    try {
      return await this.auth.authenticate(metadata);
    } catch (error) {
      this.metrics.authFailed(error);
      throw error;
    }
  }
}
