import { randomUUID } from 'node:crypto';
import cluster from 'node:cluster';
import { AddressInfo } from 'node:net';
import { Server } from '@grpc/grpc-js';
import { AggregatorRegistry, Registry } from 'prom-client';
import { NestFactory } from '@nestjs/core';
import { GrpcOptions } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownState } from '@app/common';
import { ModelEndpointStats } from '@app/models';
import { adminRoutes, AdminRoutes } from './admin/admin-routes';
import { answerStatusRequests } from './admin/worker-status';
import { workerStatusSource } from './admin/worker-status-source';
import { grpcOptions } from './agent-platform/grpc-options';
import { StreamAdmission } from './agent-platform/stream-admission';
import { AppModule } from './app.module';
import { freePort } from './cluster/free-port';
import { AppConfig, defaultEnv, EnvRecord, reportConfiguration } from './config';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { RpcErrorFilter } from './errors/rpc-exception.filter';
import { createValidationPipe } from './errors/validation-error.factory';
import { addGrpcHealth } from './health/grpc-health';
import { ReadinessRegistry } from './health/readiness-registry';
import { HttpPipeline } from './http/http-pipeline';
import { installRequestBodyParser } from './http/request-body-parser';
import { cacheValidationMetadata } from './http/validation-metadata-cache';
import { drainAndClose } from './lifecycle/graceful-shutdown';
import { ROOT_LOGGER, RootLogger } from './logging/logging.module';
import { NestPinoLogger } from './logging/nest-logger';
import { MetricsServer } from './metrics/metrics-server';
import { setUpOpenApi } from './openapi';
import { startTracing } from './tracing/tracing';
import { gatewayVersion } from './version';

export interface CreateAppOptions {
  /** Defaults to `.env` + the process environment; tests pass their own. */
  env?: EnvRecord;
}

export interface Gateway {
  app: NestFastifyApplication;
  config: AppConfig;
  logger: RootLogger;
  httpPort: number;
  grpcPort: number;
  metricsPort: number;
  /**
   * The drain model: unready for the unready delay while still accepting, then stop taking work, let in-flight
   * requests and streams finish within the grace period, cut the rest, close.
   */
  shutdown(gracePeriodS?: number, unreadyDelayS?: number): Promise<void>;
}

/** Ceiling of every body; each route has its own, lower or equal (http/route-body-limits.ts). */
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Connections the kernel may hold for us while the event loop is busy. Node's default (511) overflows when
 * thousands of clients connect within a second (IDEs reconnecting after a restart): the dropped ones retry
 * only after seconds. Linux caps it at `net.core.somaxconn` (4096 by default).
 */
const LISTEN_BACKLOG = 4096;

/** Builds and starts the whole gateway: HTTP, gRPC and metrics listeners. Shared by main.ts and e2e tests. */
export async function createApp(options: CreateAppOptions = {}): Promise<Gateway> {
  cacheValidationMetadata();
  const env = options.env ?? defaultEnv();
  const adapter = new FastifyAdapter({
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID().replace(/-/g, ''),
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // No Nest middleware here (hooks do that work): without middie no request runs its empty middleware chain.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, {
    // Silent until our logger exists: a bad configuration is reported once, by main.ts, without a stack.
    logger: false,
    abortOnError: false,
  });
  const logger = app.get<RootLogger>(ROOT_LOGGER);
  app.useLogger(new NestPinoLogger(logger));
  const config = app.get(AppConfig);
  const stopTracing = startTracing(config.tracing, gatewayVersion(), logger);

  app.get(HttpPipeline).install(app.getHttpAdapter().getInstance());
  installRequestBodyParser(app);
  app.useGlobalFilters(app.get(HttpExceptionFilter));
  app.useGlobalPipes(createValidationPipe());
  setUpOpenApi(app, config.fastapi);

  const grpcPort = config.agentPlatform.port || (await freePort(config.agentPlatform.host));
  const shutdownState = app.get(ShutdownState);
  let grpcServer: Server | undefined;
  const microservice = app.connectMicroservice<GrpcOptions>(
    grpcOptions(config, grpcPort, (server: Server) => {
      grpcServer = server;
      addGrpcHealth(server, shutdownState);
    }),
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(app.get(RpcErrorFilter));
  await app.startAllMicroservices();
  await app.listen({ host: config.fastapi.apiHost, port: config.fastapi.apiPort, backlog: LISTEN_BACKLOG });
  const httpPort = (app.getHttpServer().address() as AddressInfo).port;
  const metricsPort = await serveMetrics(app, config);
  logger.info(
    { logger: 'main', http_port: httpPort, grpc_port: grpcPort, metrics_port: metricsPort },
    `Listening: HTTP ${config.fastapi.apiHost}:${httpPort}, gRPC ${config.agentPlatform.host}:${grpcPort}, metrics ${config.fastapi.metricsHost}:${metricsPort}`,
  );
  // Workers share one configuration: the first one reports it.
  if (!cluster.isWorker || cluster.worker?.id === 1) {
    reportConfiguration(logger, config, env, { httpPort, grpcPort, metricsPort });
  }

  return {
    app,
    config,
    logger,
    httpPort,
    grpcPort,
    metricsPort,
    shutdown: (gracePeriodS = config.shutdownGracePeriodS, unreadyDelayS = config.shutdownUnreadyDelayS) =>
      drainAndClose({
        app,
        grpcServer: grpcServer as Server,
        shutdownState,
        logger,
        gracePeriodS,
        unreadyDelayS,
      }).finally(stopTracing),
  };
}

/**
 * A cluster worker hands its metrics (and status page figures) to the primary, which serves them all on the
 * metrics port.
 */
async function serveMetrics(app: NestFastifyApplication, config: AppConfig): Promise<number> {
  const admin = adminStatus(app, config);
  if (!cluster.isWorker) {
    return app.get(MetricsServer).listen(config.fastapi.metricsHost, config.fastapi.metricsPort, admin);
  }
  // prom-client starts answering the primary's IPC requests only once an AggregatorRegistry exists.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([app.get(Registry)]);
  return config.fastapi.metricsPort;
}

/** The status page's figures of this process, when an admin token turns the page on. */
function adminStatus(app: NestFastifyApplication, config: AppConfig): AdminRoutes | undefined {
  if (!config.admin.token) return undefined;
  const source = workerStatusSource({
    httpServer: app.getHttpServer(),
    stats: app.get(ModelEndpointStats),
    readiness: app.get(ReadinessRegistry),
    streams: app.get(StreamAdmission, { strict: false }),
  });
  if (cluster.isWorker) {
    answerStatusRequests(source);
    return undefined;
  }
  return adminRoutes(config.admin.token, async () => [await source()]);
}
