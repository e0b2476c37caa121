import { AppError, ErrorCode } from '@app/common';

/**
 * A model failure as gitlab-versions.md §8 answers it: what the model said about the request stays a 400, a
 * refused key a 401, a rate limit a 429 (with its `Retry-After`), a timeout a 504. A model server that is down or
 * answers nonsense stays a 502, as on every other route.
 */
export function embeddingsError(error: unknown): unknown {
  if (!(error instanceof AppError) || error.code !== ErrorCode.ModelRejected) return error;
  const status = error.upstreamStatus;
  if (status === 401 || status === 403) {
    return new AppError(ErrorCode.ModelCredentialsRefused, error.message, { cause: error, upstreamStatus: status });
  }
  if (status === 408)
    return new AppError(ErrorCode.ModelTimeout, error.message, { cause: error, upstreamStatus: status });
  return new AppError(ErrorCode.BadRequest, error.message, { cause: error, upstreamStatus: status });
}
