import { SseEvent, SseParser } from '@gitlab-ai-gateway/provider-api';

/** A response body as undici hands it over: a Node readable stream. */
export interface PushBody {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
}

export interface SseReading {
  /** Sends the request; resolves with the body of a 2xx answer (or rejects, already as the call's failure). */
  open(): Promise<PushBody>;
  /** The call's error for anything the body or the parser threw. */
  failure(error: unknown): unknown;
  /** Once, when the reading is over however it ended: the call's timer and listener go. */
  finished(): void;
}

/** Parsed events waiting for the consumer before the body is paused. */
const HIGH_WATER_EVENTS = 64;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The server-sent events of an upstream answer, parsed as the body's bytes arrive ('data' events) instead of
 * through a chain of async generators over the stream's async iterator: one promise per event the consumer waits
 * for, nothing per layer, no per-chunk allocation that outlives the gap to the next chunk (issue 21). The request
 * leaves at the first `next()`. The body pauses while {@link HIGH_WATER_EVENTS} events wait unread; `return()`
 * (the consumer leaving early) destroys it, which closes the upstream connection.
 */
export class SsePushReader implements AsyncIterableIterator<SseEvent> {
  private readonly parser: SseParser;
  private readonly decoder = new TextDecoder('utf-8');
  private body?: PushBody;
  private opened = false;
  private queue: SseEvent[] = [];
  private head = 0;
  private paused = false;
  private ended = false;
  private failed = false;
  private error: unknown;
  private closed = false;
  private waiter?: { resolve: (result: IteratorResult<SseEvent>) => void; reject: (error: unknown) => void };

  constructor(
    private readonly reading: SseReading,
    maxEventSize?: number,
  ) {
    this.parser = new SseParser(maxEventSize);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<SseEvent>> {
    if (this.head < this.queue.length) return Promise.resolve(this.take());
    if (this.failed && !this.closed) return this.rejection();
    if (this.ended || this.closed) return Promise.resolve(this.finish());
    if (!this.opened) {
      this.opened = true;
      void this.open();
    }
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** The consumer left: the body is destroyed (closing the connection) and the call ends. */
  async return(): Promise<IteratorResult<SseEvent>> {
    this.body?.destroy();
    if (this.waiter) this.settle().resolve(DONE);
    return this.finish();
  }

  private async open(): Promise<void> {
    try {
      this.body = await this.reading.open();
    } catch (error) {
      return this.fail(error, false);
    }
    if (this.closed) {
      this.body.destroy();
      return;
    }
    this.body.on('data', (bytes) => this.onData(bytes));
    this.body.on('end', () => this.onEnd());
    this.body.on('error', (error) => this.fail(this.reading.failure(error)));
    this.body.on('close', () => {
      if (!this.ended) this.fail(this.reading.failure(new Error('the response body closed before its end')));
    });
  }

  private onData(bytes: Buffer): void {
    if (this.failed || this.closed) return;
    try {
      this.enqueue(this.parser.push(this.decoder.decode(bytes, { stream: true })));
    } catch (error) {
      this.fail(this.reading.failure(error));
    }
  }

  private onEnd(): void {
    if (this.failed || this.closed) return;
    try {
      this.enqueue(this.parser.push(this.decoder.decode()));
      this.enqueue(this.parser.end());
    } catch (error) {
      return this.fail(this.reading.failure(error));
    }
    this.ended = true;
    if (this.waiter && this.head === this.queue.length) this.settle().resolve(this.finish());
  }

  private enqueue(events: SseEvent[]): void {
    if (events.length === 0) return;
    if (this.waiter) {
      this.settle().resolve({ done: false, value: events[0] });
      for (let index = 1; index < events.length; index++) this.queue.push(events[index]);
    } else {
      for (const event of events) this.queue.push(event);
    }
    if (!this.paused && this.queue.length - this.head >= HIGH_WATER_EVENTS) {
      this.paused = true;
      this.body?.pause();
    }
  }

  private take(): IteratorResult<SseEvent> {
    const value = this.queue[this.head++];
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      if (this.paused) {
        this.paused = false;
        this.body?.resume();
      }
    }
    return { done: false, value };
  }

  /** `error` is already the call's failure; `destroy` is false when there is no body to close. */
  private fail(error: unknown, destroy = true): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    this.error = error;
    if (destroy) this.body?.destroy();
    // A waiting consumer means nothing is queued: it gets the failure now, anyone else after the queued events.
    if (this.waiter) {
      const { reject } = this.settle();
      this.finish();
      reject(error);
    }
  }

  /** The failure, once: the reading is over, later calls get `done`. */
  private rejection(): Promise<never> {
    this.finish();
    return Promise.reject(this.error);
  }

  private settle() {
    const waiter = this.waiter!;
    this.waiter = undefined;
    return waiter;
  }

  private finish(): IteratorReturnResult<undefined> {
    if (!this.closed) {
      this.closed = true;
      this.queue = [];
      this.head = 0;
      this.reading.finished();
    }
    return DONE;
  }
}
