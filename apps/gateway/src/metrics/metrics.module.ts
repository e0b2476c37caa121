import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics';
import { MetricsServer } from './metrics-server';

/** Offers the prom-client `Registry` to every module; libs register their own metrics on it. */
@Global()
@Module({
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
    HttpMetrics,
    MetricsServer,
  ],
  exports: [Registry, HttpMetrics, MetricsServer],
})
export class MetricsModule {}
