import { FastifyReply, FastifyRequest } from 'fastify';
import { RequestContextStore, Traces } from '@app/common';

/**
 * Runs the rest of the request under a server span continuing the caller's `traceparent` (GitLab sends
 * one); the span ends when the response closes, so a stream's span lasts to its last byte.
 * Called only while tracing is on.
 */
export function runTracedRequest(request: FastifyRequest, reply: FastifyReply, next: () => void): void {
  const route = request.routeOptions.url;
  const span = Traces.startServer(route ? `${request.method} ${route}` : request.method, request.headers, {
    'http.request.method': request.method,
    'url.path': request.url.split('?')[0],
    'url.scheme': request.protocol,
    ...(route ? { 'http.route': route } : {}),
    'client.address': request.socket.remoteAddress,
    'user_agent.original': request.headers['user-agent'],
    'aigw.correlation_id': request.id,
  });
  if (!span) return RequestContextStore.run(request.context, next);
  if (span.isRecording()) request.context.traceId = span.spanContext().traceId;
  reply.raw.once('close', () => {
    const status = reply.statusCode;
    span.setAttribute('http.response.status_code', status);
    if (!reply.raw.writableFinished) span.setAttribute('aigw.client_disconnected', true);
    Traces.end(span, status >= 500 ? Object.assign(new Error(`HTTP ${status}`), { code: String(status) }) : undefined);
  });
  RequestContextStore.run(request.context, () => Traces.within(span, next));
}
