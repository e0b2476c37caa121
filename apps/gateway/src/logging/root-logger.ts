import cluster from 'node:cluster';
import pino, { DestinationStream, Logger } from 'pino';
import { RequestContextStore } from '@app/common';
import { LoggingConfig } from '../config';

/** Field names whose values never reach a log line (http-api.md §5.4: keys masked `**********`). */
const SECRET_PATHS = [
  'authorization',
  'api_key',
  'model_api_key',
  'token',
  'signing_key',
  'x-gitlab-oauth-token',
  'x-gitlab-agent-platform-model-metadata',
].flatMap((key) => [`["${key}"]`, `*["${key}"]`, `*.*["${key}"]`]);

/** `destination` is for tests; by default stdout or `AIGW_LOGGING__TO_FILE`. */
export function createRootLogger(config: LoggingConfig, destination?: DestinationStream): Logger {
  destination ??= config.toFile
    ? pino.destination({ dest: config.toFile, mkdir: true, sync: false })
    : pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level: config.level,
      messageKey: 'message',
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
      base: { type: 'mlops', stage: 'main', ...(cluster.isWorker ? { worker_id: cluster.worker?.id } : {}) },
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_PATHS, censor: '**********' },
      mixin: () => {
        const context = RequestContextStore.current();
        return context ? { correlation_id: context.correlationId, ...context.identity } : {};
      },
      ...(config.formatJson ? {} : { transport: { target: 'pino-pretty', options: { messageKey: 'message' } } }),
    },
    config.formatJson ? destination : undefined,
  );
}
