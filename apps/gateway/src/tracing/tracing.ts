import { Logger } from 'pino';
import { Traces } from '@app/common';
import { TracingConfig } from '../config';

/**
 * Turns tracing on when an OTLP endpoint is configured. The SDK is required only then: it costs start-up
 * time and memory that a gateway without tracing should not pay. Resolves with the function that flushes
 * and stops it.
 */
export function startTracing(config: TracingConfig, version: string, logger: Logger): () => Promise<void> {
  if (!config.enabled) return async () => undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  const { createOtelTracing } = require('./otel-tracing') as typeof import('./otel-tracing');
  const backend = createOtelTracing(config, version, logger);
  Traces.install(backend);
  logger.info(
    { logger: 'tracing', sampler: config.sampler, sampler_arg: config.samplerArg, service_name: config.serviceName },
    'Tracing on: spans go to the OTLP/HTTP endpoint',
  );
  return async () => {
    Traces.uninstall();
    await backend.shutdown();
  };
}
