import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';

/** The separate Prometheus listener: text format on any path (http-api.md §5.3). */
@Injectable()
export class MetricsServer implements OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly registry: Registry,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    const server = createServer((_request, response) => {
      this.registry
        .metrics()
        .then((text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text))
        .catch((error: unknown) => {
          this.logger.error({ logger: 'metrics', err: error }, 'Could not render metrics');
          response.writeHead(500).end();
        });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
