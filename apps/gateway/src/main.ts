import './heap-settings';
import './compile-cache';
import 'reflect-metadata';
import cluster from 'node:cluster';
import { runClusterPrimary } from './cluster/cluster-primary';
import { ConfigValidationError, defaultEnv, loadAppConfig } from './config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  if (cluster.isPrimary) {
    const config = loadAppConfig(defaultEnv());
    if (config.workers > 1) return runClusterPrimary(config);
  }
  const gateway = await createApp();
  const stop = (signal: NodeJS.Signals) => {
    gateway.logger.info({ logger: 'main', signal }, `Received ${signal}`);
    gateway.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.logger.fatal({ logger: 'main', err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  const configError = findConfigError(error);
  process.stderr.write(`${configError ? configError.message : describe(error)}\n`);
  process.exit(1);
});

/** Nest may wrap the validation error thrown inside ConfigModule. */
function findConfigError(error: unknown): ConfigValidationError | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ConfigValidationError) return cause;
  }
  return undefined;
}

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));
