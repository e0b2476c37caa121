import { STATUS_CODES } from 'node:http';
import { FastifyReply } from 'fastify';
import { AppError, ErrorCode, isModelError } from '@app/common';

/**
 * A model server's HTTP error is answered 421 `"<status>: <reason>"`, other model failures 500 (http-api.md
 * §3.3); anything else is rethrown for the error filter. Written here because no error code maps to 421: it is
 * the prompt routes' contract, not a general status.
 */
export function answerPromptFailure(reply: FastifyReply, error: unknown): void {
  if (!isModelError(error)) throw error;
  if (error.upstreamStatus === undefined) throw new AppError(ErrorCode.Internal, error.message, { cause: error });
  const detail = `${error.upstreamStatus}: ${STATUS_CODES[error.upstreamStatus] ?? 'Unknown'}`;
  reply.code(421).type('application/json').send(JSON.stringify({ detail }));
}
