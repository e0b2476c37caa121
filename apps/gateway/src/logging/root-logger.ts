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
    },
    config.formatJson ? destination : humanReadable(destination),
  );
}

/**
 * `AIGW_LOGGING__FORMAT_JSON=false`: each JSON line rewritten by pino-pretty in this thread (a runtime
 * dependency, loaded only then), onto the same stdout or file destination.
 */
function humanReadable(destination: DestinationStream): DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for human-readable logs
  const { prettyFactory } = require('pino-pretty') as typeof import('pino-pretty');
  const prettify = prettyFactory({
    messageKey: 'message',
    timestampKey: 'timestamp',
    translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'",
    messageFormat: '[{logger}] {message}',
    ignore: 'type,stage,logger',
    colorize: false,
  });
  const flushable = destination as DestinationStream & { flush?: (callback?: (error?: Error) => void) => void };
  return Object.assign(
    { write: (line: string) => destination.write(prettify(line)) },
    flushable.flush ? { flush: flushable.flush.bind(destination) } : {},
  );
}
