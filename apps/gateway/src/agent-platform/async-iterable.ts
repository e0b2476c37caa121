import { Observable } from 'rxjs';

/**
 * The inbound gRPC stream as the AsyncIterable libs/agent reads, subscribed at once: Nest stops buffering
 * client messages as soon as the handler runs, and authentication comes before the first read. Client
 * events are small and read as they come, so the buffer stays short. Single consumer.
 */
export function toAsyncIterable<T>(source: Observable<T>): AsyncIterable<T> {
  const buffer: T[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const subscription = source.subscribe({
    next: (value) => (buffer.push(value), notify()),
    error: (error) => ((failure = { error }), notify()),
    complete: () => ((finished = true), notify()),
  });
  const iterator: AsyncIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        if (buffer.length > 0) return { value: buffer.shift() as T, done: false };
        if (failure) throw failure.error;
        if (finished) return { value: undefined, done: true };
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async return(): Promise<IteratorResult<T>> {
      subscription.unsubscribe();
      finished = true;
      buffer.length = 0;
      notify();
      return { value: undefined, done: true };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
