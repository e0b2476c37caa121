import { Inject, Injectable } from '@nestjs/common';
import { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RequestPayload } from 'fastify';
import { HttpAuthenticator, Identity } from '@app/auth';
import { AppError, RequestContext, RequestContextStore, Traces } from '@app/common';
import { AppConfig } from '../config';
import { toHttpErrorResponse } from '../errors/http-error-response';
import { RouteTable } from '../errors/route-table';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';
import { HttpMetrics } from '../metrics/http-metrics';
import { runTracedRequest } from '../tracing/http-request-span';
import { accessLogFields } from './access-log';
import { BodyIntake, noRoomForBody } from './body-intake';
import { InflightBodyBudget } from './inflight-body-budget';
import { bodyLimitOf } from './route-body-limits';

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
  private readonly bodyBudget: InflightBodyBudget;

  constructor(
    private readonly authenticator: HttpAuthenticator,
    private readonly metrics: HttpMetrics,
    private readonly routes: RouteTable,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {
    this.bodyBudget = new InflightBodyBudget(config.http.maxInflightBodyBytes);
  }

  install(fastify: FastifyInstance): void {
    fastify.decorateRequest('identity', undefined);
    fastify.decorateRequest('arrivedAt', 0n);
    fastify.decorateRequest('context', undefined as unknown as RequestContext);
    fastify.addHook('onRoute', (route) => {
      this.routes.add(route.method, route.url);
      route.bodyLimit = bodyLimitOf(route.url);
    });
    fastify.addHook('onRequest', (request, reply, done) => this.enterContext(request, reply, done));
    fastify.addHook('onRequest', (request, reply, done) => this.cors(request, reply, done));
    fastify.addHook('onRequest', (request, reply) => this.authenticate(request, reply));
    fastify.addHook('preParsing', (request, reply, payload, done) => this.takeBody(request, reply, payload, done));
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
      // A refused request's body is never parsed: the connection closes after a short linger (issue 15).
      if (hasBody(request)) closeAfterLinger(request, reply);
      if (response.errorId) {
        this.logger.error({ logger: 'auth', error_id: response.errorId, err: error }, 'Authentication failed');
      }
      return reply.code(response.status).headers(response.headers).type(response.contentType).send(response.body);
    }
  }

  /**
   * The body goes through a {@link BodyIntake}: the body timeout and the in-flight budget (issue 15). A declared
   * length is taken from the budget at once, so the request that would overflow it is the one refused, before any
   * byte is read; a chunked body takes its bytes as they come. The route's own limit (413) is Fastify's.
   */
  private takeBody(
    request: FastifyRequest,
    reply: FastifyReply,
    payload: RequestPayload,
    done: (error: Error | null, stream?: RequestPayload) => void,
  ): void {
    if (!hasBody(request)) return done(null, payload);
    const declared = Number(request.headers['content-length']) || 0;
    if (declared > request.routeOptions.bodyLimit) return done(null, payload);
    if (!this.bodyBudget.take(declared)) {
      closeAfterLinger(request, reply);
      return done(noRoomForBody());
    }
    const intake = new BodyIntake(this.bodyBudget, this.config.http.bodyTimeoutS, declared);
    reply.raw.once('close', () => intake.release());
    // The parser listens while it reads; a body nobody reads (a 404) must not fail the process when it errs.
    intake.on('error', () => undefined);
    payload.once('error', (error) => intake.destroy(error));
    payload.pipe(intake);
    done(null, intake);
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

/** Longest a refused request's connection stays open, discarding what its client still sends. */
const LINGER_MS = 2_000;

/**
 * Answers with `Connection: close`, then closes as NGINX's lingering close does: our side ends at once, what the
 * client still sends is read and dropped until it ends its side or {@link LINGER_MS} pass. Closing a socket that
 * holds unread bytes resets it, and a proxy in front (NGINX sending a buffered body) would turn the refusal into
 * a 502; a client trickling bytes is cut after the linger either way.
 */
function closeAfterLinger(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('connection', 'close');
  const socket = request.raw.socket;
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('end', () => socket.destroy());
    socket.once('close', () => clearTimeout(timer));
  };
}

const hasBody = (request: FastifyRequest) =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length']) > 0;

const isPreflight = (request: FastifyRequest) =>
  request.method === 'OPTIONS' && !!request.headers.origin && !!request.headers['access-control-request-method'];

const accessLogMessage = (request: FastifyRequest, reply: FastifyReply) =>
  `${request.socket.remoteAddress}:${request.socket.remotePort} - "${request.method} ${request.url.split('?')[0]} HTTP/${request.raw.httpVersion}" ${reply.statusCode}`;
