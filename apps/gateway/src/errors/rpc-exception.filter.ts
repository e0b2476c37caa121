import { ArgumentsHost, Catch, Inject, RpcExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { Observable, throwError } from 'rxjs';
import { AppError, ERROR_TABLE, isInternalCode } from '@app/common';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';
import { logInternal } from './internal-error-log';

export interface GrpcErrorPayload {
  code: GrpcStatus;
  details: string;
  message: string;
  /** Trailing metadata: `x-error-id` for unexpected errors, as the HTTP filter's header. */
  metadata?: Metadata;
}

const LOG_SITE = { logger: 'grpc.error', unhandled: 'Unhandled gRPC error' };

/**
 * The one gRPC error filter. A hybrid app does not hand global filters to its microservice, so it is
 * registered on the microservice itself (create-app.ts).
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: RootLogger) {}

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => this.toPayload(exception));
  }

  toPayload(exception: unknown): GrpcErrorPayload {
    if (exception instanceof AppError && !isInternalCode(exception.code)) {
      return payload(ERROR_TABLE[exception.code].grpc, exception.message);
    }
    const errorId = randomUUID().replace(/-/g, '');
    logInternal(this.logger, LOG_SITE, errorId, exception);
    const cause = exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
    const metadata = new Metadata();
    metadata.set('x-error-id', errorId);
    // The details are exactly what agent-platform.md §4.4 says; the id goes to the log and the trailers only.
    return { ...payload(GrpcStatus.INTERNAL, `Something went wrong: ${cause}`), metadata };
  }
}

const payload = (code: GrpcStatus, details: string): GrpcErrorPayload => ({ code, details, message: details });
