/** Every failure the gateway reports on purpose; mapped to HTTP and gRPC statuses in `error-table.ts`. */
export enum ErrorCode {
  /** 401, body `{"error": …}` (http-api.md §1.2). */
  Unauthenticated = 'unauthenticated',
  /** 403, missing unit primitive. */
  PermissionDenied = 'permission_denied',
  BadRequest = 'bad_request',
  NotFound = 'not_found',
  MethodNotAllowed = 'method_not_allowed',
  /** 422; `details` may carry a Pydantic-shaped list. */
  InvalidInput = 'invalid_input',
  ResourceExhausted = 'resource_exhausted',
  FailedPrecondition = 'failed_precondition',
  /** Draining or a dependency is down. */
  Unavailable = 'unavailable',
  Cancelled = 'cancelled',
  /** The model server could not be reached (connection refused, DNS, TLS). */
  ModelUnreachable = 'model_unreachable',
  /** The model server did not answer in time. */
  ModelTimeout = 'model_timeout',
  /** The model server answered 4xx (other than 429). */
  ModelRejected = 'model_rejected',
  /** The model server answered 429. */
  ModelRateLimited = 'model_rate_limited',
  /** The model server refused the caller's model credentials, on a route whose contract passes that on as 401. */
  ModelCredentialsRefused = 'model_credentials_refused',
  /** The model server answered 5xx. */
  ModelFailed = 'model_failed',
  /** The model server answered something that is not its protocol. */
  ModelMalformed = 'model_malformed',
  Internal = 'internal',
}

export interface AppErrorOptions {
  /** Extra wire payload (e.g. a validation list), used instead of the message where the contract says so. */
  details?: unknown;
  /** Upstream HTTP status, for model errors. */
  upstreamStatus?: number;
  /** Seconds, from an upstream `retry-after`. */
  retryAfterS?: number;
  cause?: unknown;
}

/** The one error type domain code throws. Messages are shown to clients: no secrets in them. */
export class AppError extends Error {
  readonly details?: unknown;
  readonly upstreamStatus?: number;
  readonly retryAfterS?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterS = options.retryAfterS;
  }
}

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
