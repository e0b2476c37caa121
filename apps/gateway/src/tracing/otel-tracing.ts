import { hostname } from 'node:os';
import { Attributes, Context, diag, DiagLogLevel, Span, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { parseKeyPairsIntoRecord, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { Logger } from 'pino';
import { HeaderCarrier, SpanKindName, TracingBackend } from '@app/common';
import { TracingConfig } from '../config';

const KINDS: Record<SpanKindName, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
};

/** Attribute values past this are cut (only `AIGW_TRACING__RECORD_CONTENT` makes long ones). */
const ATTRIBUTE_VALUE_LIMIT = 16 * 1024;
const EXPORT_WARNING_INTERVAL_MS = 60_000;

const carrierGetter = {
  keys: (carrier: HeaderCarrier) => Object.keys(carrier),
  get: (carrier: HeaderCarrier, key: string) => carrier[key],
};
const headerSetter = {
  set: (headers: Record<string, string>, key: string, value: string) => (headers[key] = value),
};

/**
 * The OpenTelemetry SDK behind {@link TracingBackend}: OTLP/HTTP (JSON) export in batches, W3C trace
 * context, the sampler of `OTEL_TRACES_SAMPLER`. Loaded by `tracing.ts` only when tracing is on.
 */
export function createOtelTracing(config: TracingConfig, version: string, logger: Logger): TracingBackend {
  watchExportFailures(logger);
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const propagator = new W3CTraceContextPropagator();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      ...parseKeyPairsIntoRecord(config.resourceAttributes),
      'service.name': config.serviceName,
      'service.version': version,
      'service.instance.id': `${hostname()}:${process.pid}`,
    }),
    sampler: samplerOf(config),
    spanLimits: { attributeValueLengthLimit: ATTRIBUTE_VALUE_LIMIT },
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({
          url: config.otlpTracesEndpoint || `${config.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`,
          headers: parseKeyPairsIntoRecord(config.otlpHeaders),
        }),
        scheduledDelayMillis: config.batchDelayMs,
      }),
    ],
  });
  const tracer = provider.getTracer('ai-gateway', version);

  return {
    recordContent: config.recordContent,
    startSpan(name: string, kind: SpanKindName, attributes: Attributes | undefined, parent?: Context): Span {
      return tracer.startSpan(name, { kind: KINDS[kind], attributes }, parent ?? contextManager.active());
    },
    extract(carrier: HeaderCarrier): Context {
      return propagator.extract(contextManager.active(), carrier, carrierGetter);
    },
    withSpan<T>(span: Span, fn: () => T): T {
      return contextManager.with(trace.setSpan(contextManager.active(), span), fn);
    },
    inject(headers: Record<string, string>): void {
      const active = contextManager.active();
      if (trace.getSpan(active)) propagator.inject(active, headers, headerSetter);
    },
    async shutdown(): Promise<void> {
      await provider.shutdown();
      contextManager.disable();
    },
  };
}

function samplerOf(config: TracingConfig): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.samplerArg);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** The SDK reports failed exports through `diag`; one warning a minute says the collector is not taking spans. */
function watchExportFailures(logger: Logger): void {
  let lastWarning = 0;
  const warn = (message: string) => {
    const now = Date.now();
    if (now - lastWarning < EXPORT_WARNING_INTERVAL_MS) return;
    lastWarning = now;
    logger.warn({ logger: 'tracing' }, `Trace export failing: ${message}`);
  };
  const ignore = () => undefined;
  diag.setLogger({ error: warn, warn, info: ignore, debug: ignore, verbose: ignore }, DiagLogLevel.WARN);
}
