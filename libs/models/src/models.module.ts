import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ModelCapacity } from './capacity/model-capacity';
import { ModelMetrics } from './model-metrics';
import { ModelProviders } from './model-providers';
import { ModelService } from './model.service';
import { MODELS_OPTIONS, ModelsOptions } from './models-options';
import { BackendProbe } from './pools/backend-probe';
import { ModelRoutes } from './pools/model-routes';
import { PooledCalls } from './pools/pooled-calls';
import { PoolMetrics } from './pools/pool-metrics';
import { ModelCallObserver } from './telemetry/model-call-observer';
import { ModelEndpointStats } from './telemetry/model-endpoint-stats';
import { ModelLabels } from './telemetry/model-labels';
import { ModelTimingMetrics } from './telemetry/model-timing-metrics';
import { ResponseBudget } from './transport/response-budget';
import { UpstreamHttp } from './transport/upstream-http';

export interface ModelsModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: unknown[];
  useFactory: (...deps: never[]) => ModelsOptions;
}

/** Offers {@link ModelService} to the modules that import it; needs `OutboundHttp` and the prom-client `Registry` from the app. */
@Module({})
export class ModelsModule {
  static registerAsync(options: ModelsModuleAsyncOptions): DynamicModule {
    return {
      module: ModelsModule,
      imports: options.imports ?? [],
      providers: [
        { provide: MODELS_OPTIONS, inject: options.inject as never[], useFactory: options.useFactory },
        ResponseBudget,
        UpstreamHttp,
        ModelProviders,
        ModelLabels,
        ModelMetrics,
        ModelTimingMetrics,
        ModelEndpointStats,
        ModelCallObserver,
        ModelCapacity,
        BackendProbe,
        PoolMetrics,
        ModelRoutes,
        PooledCalls,
        ModelService,
      ],
      exports: [ModelService, ModelEndpointStats, ModelRoutes],
    };
  }
}
