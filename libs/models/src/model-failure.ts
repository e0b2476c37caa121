import { AppError, ErrorCode } from '@app/common';
import { maskSecret } from './secret-mask';

/** Anthropic's error type for "busy, try again later": a 529's body, or an `error` event inside a stream. */
const OVERLOADED_TYPE = 'overloaded_error';

/**
 * A provider's failure as the model layer hands it on: the key masked, and an overloaded model server told apart
 * by its code (`ModelOverloaded`), so that callers branch on codes. The upstream's error type arrives here as the
 * `<type>: <message>` the transport writes of an error body.
 */
export function modelFailure(error: unknown, apiKey: string | undefined): unknown {
  const masked = maskSecret(error, apiKey);
  if (!(masked instanceof AppError) || masked.code !== ErrorCode.ModelFailed) return masked;
  if (!masked.message.includes(OVERLOADED_TYPE)) return masked;
  return new AppError(ErrorCode.ModelOverloaded, masked.message, {
    upstreamStatus: masked.upstreamStatus,
    retryAfterS: masked.retryAfterS,
    cause: masked,
  });
}
