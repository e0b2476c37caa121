import { AppError, ErrorCode } from '@app/common';
import { RootLogger } from '../logging/logging.module';

/** Where a filter logs: its logger name, and the message of a bug. */
export interface InternalLogSite {
  logger: string;
  unhandled: string;
}

/**
 * Logs a 500 / `INTERNAL` under its error id: a bug at error level with its stack, a failure the contract answers
 * so on purpose (`InternalByContract`) at warn with its own message and no stack.
 */
export function logInternal(logger: RootLogger, site: InternalLogSite, errorId: string, error: unknown): void {
  if (error instanceof AppError && error.code === ErrorCode.InternalByContract) {
    logger.warn({ logger: site.logger, error_id: errorId, error_code: error.code }, error.message);
    return;
  }
  logger.error({ logger: site.logger, error_id: errorId, err: error }, site.unhandled);
}
