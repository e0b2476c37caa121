import { AppError } from '@app/common';

const MASK = '**********';
// Shorter "keys" are placeholders such as `None`; masking them would garble ordinary messages.
const MIN_SECRET_LENGTH = 6;

/** The same error with every occurrence of `secret` in its message masked, as upstreams may echo the key. */
export function maskSecret(error: unknown, secret: string | undefined): unknown {
  if (!(error instanceof AppError) || !secret || secret.length < MIN_SECRET_LENGTH) return error;
  if (!error.message.includes(secret)) return error;
  return new AppError(error.code, error.message.split(secret).join(MASK), {
    details: error.details,
    upstreamStatus: error.upstreamStatus,
    retryAfterS: error.retryAfterS,
  });
}
