/** Every failure the gateway reports on purpose; the gateway maps each to an HTTP and a gRPC status (its error table). */
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
  /** 413: a request body past its route's limit. */
  PayloadTooLarge = 'payload_too_large',
  /** 408: a request body that did not arrive in time; the connection is closed. */
  RequestTimeout = 'request_timeout',
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
  /** The model server said it is overloaded (Anthropic's `overloaded_error`): worth a retry later. */
  ModelOverloaded = 'model_overloaded',
  /**
   * 421 `{"detail": "<status>: <reason>"}`: a model server's HTTP error as the prompt routes pass it on
   * (http-api.md §3.3).
   */
  ModelStatusPassedOn = 'model_status_passed_on',
  /** The model server answered something that is not its protocol. */
  ModelMalformed = 'model_malformed',
  /** A bug: 500 / `INTERNAL` with an error id, the stack logged under it. */
  Internal = 'internal',
  /**
   * A failure the contract answers exactly as an unexpected one (500 / `INTERNAL`), though it is no bug: custom
   * models disabled, a LiteLLM chat failure, no signing key. Logged at warn with its message, without a stack.
   */
  InternalByContract = 'internal_by_contract',
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
  ErrorCode.ModelOverloaded,
  ErrorCode.ModelMalformed,
]);

/** A failure of the model server itself, as opposed to a request the gateway refused before calling it. */
export const isModelError = (error: unknown): error is AppError =>
  error instanceof AppError && MODEL_ERROR_CODES.has(error.code);

/** Codes answered 500 / `INTERNAL` with an error id: a bug, or a failure the contract answers like one. */
export const isInternalCode = (code: ErrorCode): boolean =>
  code === ErrorCode.Internal || code === ErrorCode.InternalByContract;
