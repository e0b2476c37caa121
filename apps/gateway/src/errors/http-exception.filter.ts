import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '@app/common';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';
import { logInternal } from './internal-error-log';
import { toHttpErrorResponse } from './http-error-response';
import { RouteTable } from './route-table';

const LOG_SITE = { logger: 'api.error', unhandled: 'Unhandled error' };

/** The one HTTP error filter: AppErrors by table, Nest's routing errors in the contract's words. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly routes: RouteTable,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toHttpErrorResponse(this.normalise(exception, request));
    if (response.errorId) logInternal(this.logger, LOG_SITE, response.errorId, exception);
    if (reply.sent) return;
    reply.code(response.status).headers(response.headers).type(response.contentType).send(response.body);
  }

  private normalise(exception: unknown, request: FastifyRequest): unknown {
    if (!(exception instanceof HttpException)) return exception;
    const status = exception.getStatus();
    if (status === 404 && !request.routeOptions.url) {
      const path = request.url.split('?')[0];
      return this.routes.hasOtherMethod(request.method, path)
        ? new AppError(ErrorCode.MethodNotAllowed, 'Method Not Allowed')
        : new AppError(ErrorCode.NotFound, 'Not Found');
    }
    const body = exception.getResponse();
    const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : exception.message;
    return new AppError(codeForStatus(status), String(message));
  }
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.PermissionDenied,
  404: ErrorCode.NotFound,
  405: ErrorCode.MethodNotAllowed,
  408: ErrorCode.RequestTimeout,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.InvalidInput,
  422: ErrorCode.InvalidInput,
  429: ErrorCode.ResourceExhausted,
  503: ErrorCode.Unavailable,
};

const codeForStatus = (status: number) => STATUS_CODES[status] ?? ErrorCode.Internal;
