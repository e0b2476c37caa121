import { STATUS_CODES } from 'node:http';
import { AppError, ErrorCode, isModelError } from '@app/common';

/** The routes whose contract answers a model server's failure in its own words. */
export type ModelErrorCapability = 'code_suggestions' | 'chat_anthropic' | 'chat_litellm' | 'prompts' | 'embeddings';

type Remap = (error: AppError) => AppError;

const CODE_SUGGESTIONS_RATE_LIMITED = 'Too many requests. Please try again later.';

/** `/v1/chat` to Anthropic (http-api.md §3.1); every other model failure is a 502 "Status Error". */
const ANTHROPIC_CHAT: Partial<Record<ErrorCode, [ErrorCode, string]>> = {
  [ErrorCode.ModelTimeout]: [ErrorCode.ModelTimeout, 'Anthropic API Timeout Error.'],
  [ErrorCode.ModelUnreachable]: [ErrorCode.ModelUnreachable, 'Anthropic API Connection Error.'],
};

/** What the model said about the request (a 4xx other than 429), as the embeddings route answers it. */
function embeddingsRejection(error: AppError): AppError {
  const status = error.upstreamStatus;
  const options = { cause: error, upstreamStatus: status };
  if (status === 401 || status === 403) return new AppError(ErrorCode.ModelCredentialsRefused, error.message, options);
  if (status === 408) return new AppError(ErrorCode.ModelTimeout, error.message, options);
  return new AppError(ErrorCode.BadRequest, error.message, options);
}

/**
 * Each capability's answer to a model failure. Codes not remapped keep the error table's status: 502 for a
 * model server that is down or answers nonsense, 504 for a timeout, 429 (with `Retry-After`) for a rate limit.
 */
const MODEL_ERRORS_BY_CAPABILITY: Record<ModelErrorCapability, Remap> = {
  // http-api.md §0.1: `503 {"detail": "Inference failed"}`; a model's 429 stays 429 (gitlab-versions.md §3).
  code_suggestions: (error) =>
    error.code === ErrorCode.ModelRateLimited
      ? new AppError(ErrorCode.ResourceExhausted, CODE_SUGGESTIONS_RATE_LIMITED, {
          cause: error,
          retryAfterS: error.retryAfterS,
        })
      : new AppError(ErrorCode.Unavailable, 'Inference failed', { cause: error }),
  chat_anthropic: (error) => {
    const [code, message] = ANTHROPIC_CHAT[error.code] ?? [ErrorCode.ModelFailed, 'Anthropic API Status Error.'];
    return new AppError(code, message, { cause: error });
  },
  // http-api.md §3.1: LiteLLM errors → 500.
  chat_litellm: (error) => new AppError(ErrorCode.InternalByContract, error.message, { cause: error }),
  // http-api.md §3.3: an upstream HTTP status → 421 `"<status>: <reason>"` (no Retry-After); anything else → 500.
  prompts: (error) => {
    const status = error.upstreamStatus;
    if (status === undefined) return new AppError(ErrorCode.InternalByContract, error.message, { cause: error });
    const detail = `${status}: ${STATUS_CODES[status] ?? 'Unknown'}`;
    return new AppError(ErrorCode.ModelStatusPassedOn, detail, { cause: error, upstreamStatus: status });
  },
  // gitlab-versions.md §8: 400 / 401 / 504 as the model answered; 429 as it is.
  embeddings: (error) => (error.code === ErrorCode.ModelRejected ? embeddingsRejection(error) : error),
};

/** A model failure in `capability`'s contract words; any other error as it is. */
export function capabilityModelError(capability: ModelErrorCapability, error: unknown): unknown {
  return isModelError(error) ? MODEL_ERRORS_BY_CAPABILITY[capability](error) : error;
}
