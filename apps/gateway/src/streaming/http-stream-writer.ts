import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';
import { clientDisconnectSignal } from './client-disconnect';

/** Produces the body text; must stop (and cancel its upstream request) when `signal` aborts. */
export type StreamSource = (signal: AbortSignal) => AsyncIterable<string>;

/**
 * Sends a streamed HTTP body through Fastify, so the onSend hooks (X-Process-Time, metrics) still run.
 * The body is pulled chunk by chunk as the socket drains, never buffered ahead.
 */
@Injectable()
export class HttpStreamWriter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: RootLogger) {}

  /**
   * A failure before the first chunk rejects, so the error filter still answers with a status; after it,
   * the body ends where it is and the failure is logged. A client disconnect aborts the source's signal; a
   * client gone before the first chunk gets nothing (no error either).
   */
  async send(reply: FastifyReply, contentType: string, source: StreamSource): Promise<void> {
    const signal = clientDisconnectSignal(reply);
    const iterator = source(signal)[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (signal.aborted) {
      // The client went away before the first chunk: nobody to answer, and Fastify would report the closed
      // socket as an error. The source has already stopped (it watches the same signal).
      await iterator.return?.();
      return;
    }
    const body = Readable.from(this.remaining(first, iterator, signal), { objectMode: false });
    reply.type(contentType).send(body);
  }

  private async *remaining(
    first: IteratorResult<string>,
    iterator: AsyncIterator<string>,
    signal: AbortSignal,
  ): AsyncGenerator<string> {
    try {
      for (let next = first; !next.done; next = await iterator.next()) {
        if (next.value !== '') yield next.value;
      }
    } catch (error) {
      if (signal.aborted) return;
      this.logger.warn({ logger: 'streaming', err: error }, 'Stream failed after the first chunk; response truncated');
    }
  }
}
