import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { AdminRoutes } from '../admin/admin-routes';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';
import { listenForMetrics } from './metrics-listener';

/** The separate Prometheus listener: text format on any path (http-api.md §5.3). */
@Injectable()
export class MetricsServer implements OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly registry: Registry,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  async listen(host: string, port: number, admin?: AdminRoutes): Promise<number> {
    const source = { contentType: this.registry.contentType, render: () => this.registry.metrics() };
    this.server = await listenForMetrics(
      source,
      host,
      port,
      (error) => this.logger.error({ logger: 'metrics', err: error }, 'Could not render metrics'),
      admin,
    );
    return (this.server.address() as AddressInfo).port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
