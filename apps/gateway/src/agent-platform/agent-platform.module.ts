import { Module } from '@nestjs/common';
import { ActionCodec, AgentModule } from '@app/agent';
import { AppConfig } from '../config';
import { AgentPlatformMetrics } from './agent-platform-metrics';
import { DuoWorkflowCatalogController } from './duo-workflow-catalog.controller';
import { DuoWorkflowController } from './duo-workflow.controller';
import { ProtoActionCodec } from './proto-action-codec';
import { StreamAdmission } from './stream-admission';

/** The DuoWorkflow gRPC service (agent-platform.md): handlers here, the runtime in libs/agent. */
@Module({
  imports: [
    AgentModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        customModelsEnabled: config.customModels.enabled,
        maxStreamDurationS: config.agentPlatform.maxStreamDurationS,
        defaultModelMetadata: config.agentPlatform.defaultModelMetadata,
      }),
      codec: { provide: ActionCodec, useClass: ProtoActionCodec },
    }),
  ],
  controllers: [DuoWorkflowController, DuoWorkflowCatalogController],
  providers: [StreamAdmission, AgentPlatformMetrics],
})
export class AgentPlatformModule {}
