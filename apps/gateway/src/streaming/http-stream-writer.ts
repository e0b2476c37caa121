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
    const body = new ChunkReadable(first, iterator, (error) => {
      if (signal.aborted) return;
      this.logger.warn({ logger: 'streaming', err: error }, 'Stream failed after the first chunk; response truncated');
    });
    reply.type(contentType).send(body);
  }
}

/**
 * The body's text chunks, pulled from the source as the socket drains: one `next()` per chunk and no generator
 * around the source (issue 21). Strings go to the socket as they are (object mode), so no Buffer is made per chunk;
 * empty ones are skipped. A failure after the first chunk ends the body where it is, reported to `failed`.
 * Destroyed (the client left), it lets the source go.
 */
class ChunkReadable extends Readable {
  private pulling = false;

  constructor(
    private first: IteratorResult<string> | undefined,
    private readonly source: AsyncIterator<string>,
    private readonly failed: (error: unknown) => void,
  ) {
    super({ objectMode: true, highWaterMark: 16 });
  }

  override _read(): void {
    if (this.pulling) return;
    const first = this.first;
    if (first) {
      this.first = undefined;
      return this.deliver(first);
    }
    this.pulling = true;
    this.source.next().then(
      (next) => {
        this.pulling = false;
        this.deliver(next);
      },
      (error: unknown) => {
        this.pulling = false;
        this.failed(error);
        this.push(null);
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A pending `next()` settles first (the source watches the client's signal); `return()` queues behind it.
    this.source.return?.().then(
      () => callback(error),
      () => callback(error),
    );
  }

  private deliver(next: IteratorResult<string>): void {
    if (this.destroyed) return;
    if (next.done) this.push(null);
    else if (next.value === '' || this.push(next.value)) this._read();
  }
}
