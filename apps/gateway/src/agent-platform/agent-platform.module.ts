import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { ActionCodec, AgentModule } from '@app/agent';
import { GatewayAuthModule } from '../auth/gateway-auth.module';
import { AppConfig } from '../config';
import { ModelRequestsModule } from '../model-requests/model-requests.module';
import { AgentPlatformAuth } from './agent-platform-auth';
import { AgentPlatformMetrics } from './agent-platform-metrics';
import { projectRoot } from '../project-root';
import { DuoWorkflowCatalogController } from './duo-workflow-catalog.controller';
import { DuoWorkflowController } from './duo-workflow.controller';
import { ProtoActionCodec } from './proto-action-codec';
import { StreamAdmission } from './stream-admission';

/** The flow registry's files, beside the bundle as the prompt definitions are (deploy/Dockerfile copies them). */
export const FLOWS_DIR = 'libs/agent/flows';

/** The DuoWorkflow gRPC service (agent-platform.md): handlers here, the runtime in libs/agent. */
@Module({
  imports: [
    GatewayAuthModule,
    AgentModule.registerAsync({
      imports: [ModelRequestsModule],
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        customModelsEnabled: config.customModels.enabled,
        maxStreamDurationS: config.agentPlatform.maxStreamDurationS,
        defaultModelMetadata: config.agentPlatform.defaultModelMetadata,
        flowsDir: join(projectRoot(), FLOWS_DIR),
      }),
      codec: { provide: ActionCodec, useClass: ProtoActionCodec },
    }),
  ],
  controllers: [DuoWorkflowController, DuoWorkflowCatalogController],
  providers: [StreamAdmission, AgentPlatformMetrics, AgentPlatformAuth],
})
export class AgentPlatformModule {}
