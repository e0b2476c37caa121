import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { AgentCatalog } from './agent-catalog';
import { AGENT_OPTIONS, AgentOptions } from './agent-options';
import { AgentModels } from './loop/agent-models';
import { SessionModelFactory } from './loop/session-model';
import { WorkflowRunner } from './session/workflow-runner';

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
        options.codec,
        WorkflowRunner,
        AgentCatalog,
      ],
      exports: [WorkflowRunner, AgentCatalog],
    };
  }
}
