import { FastifyReply } from 'fastify';

/**
 * Aborts when the client goes away before its response is complete, so the model call made for it is
 * cancelled too (STYLE.md "Streaming"): for whole responses and for the sources `HttpStreamWriter` streams.
 */
export function clientDisconnectSignal(reply: FastifyReply): AbortSignal {
  const abort = new AbortController();
  if (reply.raw.destroyed) {
    abort.abort();
  } else {
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
  }
  return abort.signal;
}
