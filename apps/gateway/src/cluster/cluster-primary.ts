import cluster, { Worker } from 'node:cluster';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { adminRoutes } from '../admin/admin-routes';
import { gatherWorkerStatuses } from '../admin/worker-status';
import { AppConfig } from '../config';
import { createRootLogger } from '../logging/root-logger';
import { listenForMetrics } from '../metrics/metrics-listener';
import { freePort } from './free-port';

/**
 * `AIGW_WORKERS` > 1: this process only supervises. Workers share the HTTP and gRPC ports (Node cluster
 * hands out connections); the primary serves the metrics port with every worker's metrics summed.
 */
export async function runClusterPrimary(config: AppConfig): Promise<void> {
  const logger = createRootLogger(config.logging).child({ logger: 'cluster' });
  // Port 0 must mean one port for all workers, so the primary picks it.
  const ports = {
    AIGW_FASTAPI__API_PORT: String(config.fastapi.apiPort || (await freePort(config.fastapi.apiHost))),
    AIGW_AGENT_PLATFORM__PORT: String(config.agentPlatform.port || (await freePort(config.agentPlatform.host))),
  };
  const metrics = await serveClusterMetrics(config, logger);
  let stopping = false;
  const fork = () => cluster.fork(ports);
  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) return;
    logger.error({ worker_id: worker.id, code, signal }, 'Worker died; starting a new one');
    fork();
  });
  for (let index = 0; index < config.workers; index += 1) fork();
  logger.info(
    {
      workers: config.workers,
      http_port: Number(ports.AIGW_FASTAPI__API_PORT),
      grpc_port: Number(ports.AIGW_AGENT_PLATFORM__PORT),
      metrics_port: (metrics.address() as AddressInfo).port,
    },
    `Started ${config.workers} workers`,
  );

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  cluster.on('exit', () => {
    if (!stopping || Object.keys(cluster.workers ?? {}).length > 0) return;
    metrics.close();
    logger.info('All workers stopped');
    logger.flush(() => process.exit(0));
  });
}

function serveClusterMetrics(config: AppConfig, logger: Logger): Promise<Server> {
  const aggregator = new AggregatorRegistry();
  const source = { contentType: aggregator.contentType, render: () => aggregator.clusterMetrics() };
  const admin = config.admin.token ? adminRoutes(config.admin.token, () => gatherWorkerStatuses()) : undefined;
  return listenForMetrics(
    source,
    config.fastapi.metricsHost,
    config.fastapi.metricsPort,
    (error) => logger.error({ err: error }, 'Could not collect worker metrics'),
    admin,
  );
}
