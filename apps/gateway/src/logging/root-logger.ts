import cluster from 'node:cluster';
import pino, { DestinationStream, Logger } from 'pino';
import { RequestContextStore } from '@app/common';
import { LoggingConfig } from '../config';
import { maskSecrets } from './secret-mask';

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
      formatters: { level: (label) => ({ level: label }), bindings: maskSecrets, log: maskSecrets },
      mixin: () => {
        const context = RequestContextStore.current();
        if (!context) return {};
        const trace = context.traceId ? { trace_id: context.traceId } : undefined;
        return { correlation_id: context.correlationId, ...trace, ...context.identity };
      },
      ...(config.formatJson ? {} : { transport: { target: 'pino-pretty', options: { messageKey: 'message' } } }),
    },
    config.formatJson ? destination : undefined,
  );
}
