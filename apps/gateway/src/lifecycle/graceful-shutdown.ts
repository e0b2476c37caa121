import { Server } from '@grpc/grpc-js';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownState } from '@app/common';
import { RootLogger } from '../logging/logging.module';

export interface DrainTargets {
  app: NestFastifyApplication;
  grpcServer: Server;
  shutdownState: ShutdownState;
  logger: RootLogger;
  gracePeriodS: number;
}

/**
 * Readiness goes 503 and gRPC health NOT_SERVING, listeners stop accepting, in-flight HTTP requests and
 * gRPC calls get up to the grace period to finish; whatever is left is then cut.
 */
export async function drainAndClose({
  app,
  grpcServer,
  shutdownState,
  logger,
  gracePeriodS,
}: DrainTargets): Promise<void> {
  shutdownState.startDraining();
  logger.info(
    { logger: 'main', grace_period_s: gracePeriodS },
    'Draining: no new work, waiting for in-flight requests',
  );
  const fastify = app.getHttpAdapter().getInstance();
  const drained = Promise.all([
    fastify.close(),
    new Promise<void>((resolve) => grpcServer.tryShutdown(() => resolve())),
  ]).then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), gracePeriodS * 1000)));
  const finished = await Promise.race([drained, expired]);
  clearTimeout(timer);
  if (!finished) {
    logger.warn({ logger: 'main' }, 'Grace period over: closing remaining connections and streams');
    grpcServer.forceShutdown();
    fastify.server.closeAllConnections();
  }
  await app.close();
  logger.info({ logger: 'main' }, 'Stopped');
  logger.flush();
}
