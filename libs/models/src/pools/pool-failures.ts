import { AppError, ErrorCode } from '@app/common';

/** Answers another backend may not give: the pool is busy or a proxy in front of it failed (§ issue 17). */
const RETRYABLE_STATUSES = new Set([429, 502, 503]);
/** The connection closed under the response; before the first chunk nothing of it reached the client. */
const CUT_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

const causeCode = (error: AppError) => (error.cause as { code?: unknown } | undefined)?.code;

const isCut = (error: AppError) => error.code === ErrorCode.ModelMalformed && CUT_CODES.has(causeCode(error) as string);

/**
 * Safe to send to another backend when nothing reached the client yet: the backend could not be reached, or
 * answered 429/502/503, or closed the connection before its answer began. Never a 4xx the request caused, nor a
 * timeout (the request may be what is slow).
 */
export function isRetryableFailure(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === ErrorCode.ModelUnreachable || isCut(error)) return true;
  return error.upstreamStatus !== undefined && RETRYABLE_STATUSES.has(error.upstreamStatus);
}

/** Counts toward ejecting the backend: unreachable, silent past the timeout, a 5xx, or cut off. */
export function isBackendFailure(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === ErrorCode.ModelUnreachable || error.code === ErrorCode.ModelTimeout || isCut(error)) return true;
  return error.upstreamStatus !== undefined && error.upstreamStatus >= 500;
}
