import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { AgentCatalog } from './agent-catalog';
import { AGENT_OPTIONS, AgentOptions } from './agent-options';
import { FlowRegistry } from './flows/flow-registry';
import { AgentModels } from './loop/agent-models';
import { SessionModelFactory } from './loop/session-model';
import { WorkflowRunner } from './session/workflow-runner';
import { toolDirectory } from './tools/tool-catalog';

export interface AgentModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: unknown[];
  useFactory: (...deps: never[]) => AgentOptions;
  /** Provides `ActionCodec`: the wire encoding belongs to the app that owns the proto. */
  codec: Provider;
}

/** The Duo Agent Platform runtime: workflow runner and catalog; needs `ModelService` (libs/models). */
@Module({})
export class AgentModule {
  static registerAsync(options: AgentModuleAsyncOptions): DynamicModule {
    return {
      module: AgentModule,
      imports: options.imports ?? [],
      providers: [
        { provide: AGENT_OPTIONS, inject: options.inject as never[], useFactory: options.useFactory },
        { provide: SessionModelFactory, useClass: AgentModels },
        {
          // Loaded and validated at start-up: a broken flow file stops the boot, naming the file and field.
          provide: FlowRegistry,
          inject: [AGENT_OPTIONS],
          useFactory: (agent: AgentOptions) => FlowRegistry.load(agent.flowsDir, toolDirectory()),
        },
        options.codec,
        WorkflowRunner,
        AgentCatalog,
      ],
      exports: [WorkflowRunner, AgentCatalog],
    };
  }
}
