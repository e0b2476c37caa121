import type { Attributes, Context, Span } from '@opentelemetry/api';

export type TraceSpan = Span;
export type SpanKindName = 'server' | 'client' | 'internal';

/** Incoming headers or gRPC metadata as a plain record: where a remote parent's `traceparent` is read. */
export type HeaderCarrier = Record<string, string | string[] | undefined>;

/**
 * What the OpenTelemetry SDK offers once tracing is on (apps/gateway/src/tracing). The SDK is loaded only
 * then; this interface lets libraries create spans without importing it.
 */
export interface TracingBackend {
  /** Prompt text, code and model output may go into span attributes (`AIGW_TRACING__RECORD_CONTENT`). */
  readonly recordContent: boolean;
  /** A span under `parent`, or under the active span when `parent` is absent. */
  startSpan(name: string, kind: SpanKindName, attributes: Attributes | undefined, parent?: Context): Span;
  /** The context of a remote parent named by W3C `traceparent`/`tracestate` headers (the active one if none). */
  extract(carrier: HeaderCarrier): Context;
  /** Runs `fn` with `span` active, so spans and outgoing headers made inside are its children. */
  withSpan<T>(span: Span, fn: () => T): T;
  /** Adds `traceparent` (and `tracestate`) of the active span to outgoing headers. */
  inject(headers: Record<string, string>): void;
  shutdown(): Promise<void>;
}

let backend: TracingBackend | undefined;

/**
 * Spans created explicitly (the bundled app defeats require-hook instrumentation). Every method is a single
 * check and nothing else while tracing is off, so call sites need no guard of their own.
 */
export const Traces = {
  install(installed: TracingBackend): void {
    backend = installed;
  },

  /** Turns tracing off; spans already started still end. */
  uninstall(): void {
    backend = undefined;
  },

  get enabled(): boolean {
    return backend !== undefined;
  },

  get recordContent(): boolean {
    return backend?.recordContent === true;
  },

  /** A child of the active span; `undefined` while tracing is off. */
  start(name: string, attributes?: Attributes, kind: SpanKindName = 'internal'): Span | undefined {
    return backend?.startSpan(name, kind, attributes);
  },

  /** A server span continuing the trace named by the caller's `traceparent`, if any. */
  startServer(name: string, carrier: HeaderCarrier, attributes?: Attributes): Span | undefined {
    return backend?.startSpan(name, 'server', attributes, backend.extract(carrier));
  },

  within<T>(span: Span | undefined, fn: () => T): T {
    return span && backend ? backend.withSpan(span, fn) : fn();
  },

  inject(headers: Record<string, string>): void {
    backend?.inject(headers);
  },

  /** Ends the span; an error marks it failed with the error's code and message (never its stack). */
  end(span: Span | undefined, error?: unknown): void {
    if (!span) return;
    if (error !== undefined) markFailed(span, error);
    span.end();
  },
};

/** `SpanStatusCode.ERROR`, without loading the API package while tracing is off. */
const STATUS_ERROR = 2;
const MAX_MESSAGE_LENGTH = 500;

function markFailed(span: Span, error: unknown): void {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_MESSAGE_LENGTH);
  const code = (error as { code?: unknown })?.code;
  span.setAttribute('error.type', typeof code === 'string' ? code : error instanceof Error ? error.name : 'error');
  span.setStatus({ code: STATUS_ERROR, message });
}
