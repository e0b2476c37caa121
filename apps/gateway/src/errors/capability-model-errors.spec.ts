import { AppError, ErrorCode } from '@app/common';
import { capabilityModelError, ModelErrorCapability } from './capability-model-errors';
import { toHttpErrorResponse } from './http-error-response';

const failed = (code: ErrorCode, options: { upstreamStatus?: number; retryAfterS?: number } = {}) =>
  new AppError(code, `upstream said ${code}`, options);

/** What a client receives for `error` remapped for `capability`. */
const answer = (capability: ModelErrorCapability, error: AppError) => {
  const { status, body, headers, contentType } = toHttpErrorResponse(capabilityModelError(capability, error));
  return { status, body: contentType.startsWith('application/json') ? JSON.parse(body) : body, headers };
};

describe(capabilityModelError.name, () => {
  it.each<ModelErrorCapability>(['code_suggestions', 'chat_anthropic', 'chat_litellm', 'prompts', 'embeddings'])(
    '%s passes errors that are not model failures on untouched',
    (capability) => {
      const refused = new AppError(ErrorCode.PermissionDenied, 'no');
      const bug = new TypeError('x is not a function');
      expect(capabilityModelError(capability, refused)).toBe(refused);
      expect(capabilityModelError(capability, bug)).toBe(bug);
    },
  );

  it('answers code suggestions 503 "Inference failed", a model 429 as 429 with its Retry-After (§0.1, gitlab-versions.md §3)', () => {
    expect(answer('code_suggestions', failed(ErrorCode.ModelFailed, { upstreamStatus: 500 }))).toEqual({
      status: 503,
      body: { detail: 'Inference failed' },
      headers: {},
    });
    expect(answer('code_suggestions', failed(ErrorCode.ModelRateLimited, { retryAfterS: 7 }))).toEqual({
      status: 429,
      body: { detail: 'Too many requests. Please try again later.' },
      headers: { 'retry-after': '7' },
    });
  });

  it.each([
    [ErrorCode.ModelTimeout, 504, 'Anthropic API Timeout Error.'],
    [ErrorCode.ModelUnreachable, 502, 'Anthropic API Connection Error.'],
    [ErrorCode.ModelRejected, 502, 'Anthropic API Status Error.'],
    [ErrorCode.ModelOverloaded, 502, 'Anthropic API Status Error.'],
    [ErrorCode.ModelRateLimited, 502, 'Anthropic API Status Error.'],
  ])('answers /v1/chat to Anthropic %s with %i %s (§3.1)', (code, status, detail) => {
    expect(answer('chat_anthropic', failed(code))).toEqual({ status, body: { detail }, headers: {} });
  });

  it('answers /v1/chat to LiteLLM with a plain 500, as the contract does, keeping the cause (§3.1)', () => {
    const error = failed(ErrorCode.ModelUnreachable);
    const remapped = capabilityModelError('chat_litellm', error) as AppError;
    expect(remapped).toMatchObject({ code: ErrorCode.InternalByContract, message: error.message, cause: error });
    expect(answer('chat_litellm', error)).toMatchObject({ status: 500, body: 'Internal Server Error' });
  });

  it('answers the prompt routes 421 "<status>: <reason>" for an upstream HTTP error, without Retry-After (§3.3)', () => {
    expect(answer('prompts', failed(ErrorCode.ModelRejected, { upstreamStatus: 401 }))).toEqual({
      status: 421,
      body: { detail: '401: Unauthorized' },
      headers: {},
    });
    expect(answer('prompts', failed(ErrorCode.ModelRateLimited, { upstreamStatus: 429, retryAfterS: 3 }))).toEqual({
      status: 421,
      body: { detail: '429: Too Many Requests' },
      headers: {},
    });
    expect(answer('prompts', failed(ErrorCode.ModelOverloaded, { upstreamStatus: 529 })).body).toEqual({
      detail: '529: Unknown',
    });
  });

  it('answers the prompt routes a plain 500 for a model failure without an HTTP status (§3.3)', () => {
    const remapped = capabilityModelError('prompts', failed(ErrorCode.ModelUnreachable)) as AppError;
    expect(remapped.code).toBe(ErrorCode.InternalByContract);
    expect(answer('prompts', failed(ErrorCode.ModelTimeout))).toMatchObject({
      status: 500,
      body: 'Internal Server Error',
    });
  });

  it.each([
    [401, 401],
    [403, 401],
    [408, 504],
    [400, 400],
    [404, 400],
  ])('answers embeddings a model %i as %i (gitlab-versions.md §8)', (upstreamStatus, status) => {
    const error = failed(ErrorCode.ModelRejected, { upstreamStatus });
    expect(answer('embeddings', error)).toEqual({ status, body: { detail: error.message }, headers: {} });
  });

  it('leaves embeddings failures other than rejections to the error table: 429 with Retry-After, 502, 504', () => {
    expect(answer('embeddings', failed(ErrorCode.ModelRateLimited, { retryAfterS: 2 }))).toMatchObject({
      status: 429,
      headers: { 'retry-after': '2' },
    });
    expect(answer('embeddings', failed(ErrorCode.ModelFailed)).status).toBe(502);
    expect(answer('embeddings', failed(ErrorCode.ModelTimeout)).status).toBe(504);
  });
});
