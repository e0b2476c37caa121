import { AppError, ErrorCode } from '@app/common';

const MODEL_ERROR_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.ModelUnreachable,
  ErrorCode.ModelTimeout,
  ErrorCode.ModelRejected,
  ErrorCode.ModelRateLimited,
  ErrorCode.ModelFailed,
  ErrorCode.ModelMalformed,
]);

/** A failure of the model server itself, as opposed to a request the gateway refused before calling it. */
export const isModelError = (error: unknown): error is AppError =>
  error instanceof AppError && MODEL_ERROR_CODES.has(error.code);
