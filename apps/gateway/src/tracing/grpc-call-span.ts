import { randomUUID } from 'node:crypto';
import { Metadata, ServerInterceptingCall, ServerInterceptor, status as GrpcStatus } from '@grpc/grpc-js';
import { RequestContext, RequestContextStore, TraceSpan, Traces } from '@app/common';

/** gRPC health and reflection calls are probes, not work: left untraced. */
const UNTRACED_PREFIX = '/grpc.';

/**
 * A server span per gRPC call (continuing the caller's `traceparent` metadata), ending with the call's
 * status. The handler runs inside the span and a request context, so its spans and log lines carry the
 * trace. Installed only while tracing is on.
 */
export const grpcCallSpan: ServerInterceptor = (method, call) => {
  if (method.path.startsWith(UNTRACED_PREFIX)) return new ServerInterceptingCall(call);
  const [, service, rpc] = method.path.split('/');
  let span: TraceSpan | undefined;
  const finish = (code: GrpcStatus, details?: string) => {
    if (!span) return;
    span.setAttribute('rpc.grpc.status_code', code);
    const failed = code !== GrpcStatus.OK && code !== GrpcStatus.CANCELLED;
    Traces.end(
      span,
      failed ? Object.assign(new Error(details ?? GrpcStatus[code]), { code: GrpcStatus[code] }) : undefined,
    );
    span = undefined;
  };
  return new ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMetadata: (metadata, nextMetadata) => {
          span = Traces.startServer(`${service}/${rpc}`, carrierOf(metadata), {
            'rpc.system': 'grpc',
            'rpc.service': service,
            'rpc.method': rpc,
          });
          const context: RequestContext = { correlationId: randomUUID().replace(/-/g, '') };
          if (span?.isRecording()) context.traceId = span.spanContext().traceId;
          RequestContextStore.run(context, () => Traces.within(span, () => nextMetadata(metadata)));
        },
        onCancel: () => {
          span?.setAttribute('aigw.client_disconnected', true);
          finish(GrpcStatus.CANCELLED);
        },
      }),
    sendStatus: (status, next) => {
      finish(status.code ?? GrpcStatus.UNKNOWN, status.details);
      next(status);
    },
  });
};

function carrierOf(metadata: Metadata): Record<string, string | undefined> {
  const first = (key: string) => {
    const value = metadata.get(key)[0];
    return typeof value === 'string' ? value : undefined;
  };
  return { traceparent: first('traceparent'), tracestate: first('tracestate') };
}
