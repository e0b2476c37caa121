import { Inject, Injectable } from '@nestjs/common';
import { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { HttpAuthenticator, Identity } from '@app/auth';
import { AppError, RequestContext, RequestContextStore, Traces } from '@app/common';
import { toHttpErrorResponse } from '../errors/http-error-response';
import { RouteTable } from '../errors/route-table';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';
import { HttpMetrics } from '../metrics/http-metrics';
import { runTracedRequest } from '../tracing/http-request-span';
import { accessLogFields } from './access-log';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by authentication; undefined on anonymous paths. */
    identity?: Identity;
    arrivedAt: bigint;
    context: RequestContext;
  }
}

/** Paths left out of `http_request_duration_seconds` (http-api.md §5.3). */
const UNMEASURED = new Set(['/monitoring/healthz', '/monitoring/ready']);

/**
 * Cross-cutting HTTP behaviour in the order of http-api.md §0.2: correlation id, CORS, timing/access
 * log, then authentication. Authentication is a hook rather than a Nest guard because it must run
 * before routing: unknown paths answer 401 too.
 */
@Injectable()
export class HttpPipeline {
  constructor(
    private readonly authenticator: HttpAuthenticator,
    private readonly metrics: HttpMetrics,
    private readonly routes: RouteTable,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  install(fastify: FastifyInstance): void {
    fastify.decorateRequest('identity', undefined);
    fastify.decorateRequest('arrivedAt', 0n);
    fastify.decorateRequest('context', undefined as unknown as RequestContext);
    fastify.addHook('onRoute', (route) => this.routes.add(route.method, route.url));
    fastify.addHook('onRequest', (request, reply, done) => this.enterContext(request, reply, done));
    fastify.addHook('onRequest', (request, reply, done) => this.cors(request, reply, done));
    fastify.addHook('onRequest', (request, reply) => this.authenticate(request, reply));
    fastify.addHook('onSend', async (request, reply) => this.onResponseStart(request, reply));
    fastify.addHook('onResponse', async (request, reply) => {
      this.logger.info(accessLogFields(request, reply), accessLogMessage(request, reply));
    });
  }

  private enterContext(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    request.arrivedAt = process.hrtime.bigint();
    request.context = { correlationId: request.id };
    reply.header('x-request-id', request.id);
    if (Traces.enabled) return runTracedRequest(request, reply, done);
    RequestContextStore.run(request.context, done);
  }

  private cors(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (!request.headers.origin) return done();
    reply.header('access-control-allow-origin', '*');
    if (!isPreflight(request)) return done();
    reply
      .code(200)
      .headers({
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
        vary: 'Origin',
      })
      .type('text/plain; charset=utf-8')
      .send('OK');
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (reply.sent || isPreflight(request)) return;
    try {
      request.identity = await this.authenticator.authenticate(request.url.split('?')[0], request.headers);
    } catch (error) {
      const response = toHttpErrorResponse(error);
      this.metrics.authFailed(error instanceof AppError ? error.code : 'internal');
      if (response.errorId) {
        this.logger.error({ logger: 'auth', error_id: response.errorId, err: error }, 'Authentication failed');
      }
      return reply.code(response.status).headers(response.headers).type(response.contentType).send(response.body);
    }
  }

  private onResponseStart(request: FastifyRequest, reply: FastifyReply): void {
    const seconds = Number(process.hrtime.bigint() - request.arrivedAt) / 1e9;
    reply.header('x-process-time', seconds.toFixed(6));
    const handler = request.routeOptions.url;
    if (handler && !UNMEASURED.has(handler) && reply.statusCode !== 404) {
      this.metrics.observe(handler, request.method, reply.statusCode, seconds);
    }
  }
}

const isPreflight = (request: FastifyRequest) =>
  request.method === 'OPTIONS' && !!request.headers.origin && !!request.headers['access-control-request-method'];

const accessLogMessage = (request: FastifyRequest, reply: FastifyReply) =>
  `${request.socket.remoteAddress}:${request.socket.remotePort} - "${request.method} ${request.url.split('?')[0]} HTTP/${request.raw.httpVersion}" ${reply.statusCode}`;
