import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from '@grpc/grpc-js';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownState } from '@app/common';
import { RootLogger } from '../logging/logging.module';

export interface DrainTargets {
  app: NestFastifyApplication;
  grpcServer: Server;
  shutdownState: ShutdownState;
  logger: RootLogger;
  /** From the signal to the cut. */
  gracePeriodS: number;
  /** From the signal to closing the listeners; at most the grace period. */
  unreadyDelayS: number;
}

/** Time the UNAVAILABLE statuses of cut workflows get to reach their clients before the sockets go. */
const CUT_FLUSH_MS = 1000;

/**
 * The drain model (docs/install.md "Shutdown"): readiness 503 and gRPC health NOT_SERVING while both listeners
 * still accept for the unready delay; then the listeners close and in-flight requests and calls drain until the
 * grace period (counted from the signal) ends; what is left is cut: workflows end with UNAVAILABLE, which
 * Workhorse retries, and HTTP streams are closed.
 */
export async function drainAndClose({
  app,
  grpcServer,
  shutdownState,
  logger,
  gracePeriodS,
  unreadyDelayS,
}: DrainTargets): Promise<void> {
  const deadline = performance.now() + gracePeriodS * 1000;
  const delayS = Math.min(unreadyDelayS, gracePeriodS);
  shutdownState.startDraining();
  logger.info(
    { logger: 'main', unready_delay_s: delayS, grace_period_s: gracePeriodS },
    `Draining: readiness fails; listeners keep accepting for ${delayS} s`,
  );
  if (delayS > 0) await sleep(delayS * 1000);

  shutdownState.startClosing();
  const fastify = app.getHttpAdapter().getInstance();
  const grpcDrained = new Promise<void>((resolve) => grpcServer.tryShutdown(() => resolve()));
  const drained = Promise.all([fastify.close(), grpcDrained]).then(() => true);
  // Fastify closes its listening socket after its preClose hooks, a few ticks later.
  while (fastify.server.listening) await new Promise((resolve) => setImmediate(resolve));
  logger.info({ logger: 'main' }, 'Listeners closed: waiting for in-flight requests and streams');
  const remainingMs = Math.max(deadline - performance.now(), 0);
  const timer = new AbortController();
  const finished = await Promise.race([
    drained,
    sleep(remainingMs, false, { signal: timer.signal }).catch(() => false),
  ]);
  timer.abort();
  if (!finished) {
    logger.warn({ logger: 'main' }, 'Grace period over: cutting remaining workflows and streams');
    shutdownState.cutRemaining();
    fastify.server.closeAllConnections();
    const flushed = new AbortController();
    await Promise.race([
      grpcDrained,
      sleep(CUT_FLUSH_MS, undefined, { signal: flushed.signal }).catch(() => undefined),
    ]);
    flushed.abort();
    grpcServer.forceShutdown();
  }
  await app.close();
  logger.info({ logger: 'main' }, 'Stopped');
  logger.flush();
}
