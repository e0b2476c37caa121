import { randomUUID } from 'node:crypto';
import { AppError, ERROR_TABLE, ErrorCode, isInternalCode } from '@app/common';

export interface HttpErrorResponse {
  status: number;
  contentType: string;
  body: string;
  headers: Record<string, string>;
  /** Set for 500s: the id under which the error is logged. */
  errorId?: string;
}

const json = (status: number, payload: unknown, headers: Record<string, string> = {}): HttpErrorResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(payload),
  headers,
});

/** Wire shape of an error (http-api.md §0.1): 401 `{"error"}`, others `{"detail"}`, 500 plain text. */
export function toHttpErrorResponse(error: unknown): HttpErrorResponse {
  if (!(error instanceof AppError) || isInternalCode(error.code)) {
    const errorId = randomUUID().replace(/-/g, '');
    return {
      status: 500,
      contentType: 'text/plain; charset=utf-8',
      body: 'Internal Server Error',
      headers: { 'x-error-id': errorId },
      errorId,
    };
  }
  const { http } = ERROR_TABLE[error.code];
  const headers: Record<string, string> =
    error.retryAfterS === undefined ? {} : { 'retry-after': String(Math.ceil(error.retryAfterS)) };
  if (error.code === ErrorCode.Unauthenticated) return json(http, { error: error.message }, headers);
  return json(http, { detail: error.details ?? error.message }, headers);
}
