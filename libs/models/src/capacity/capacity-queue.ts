/** Why a call waiting for a slot was turned away. */
export type Refusal = 'queue_full' | 'queue_timeout';

interface Waiter {
  grant: () => void;
  refuse: (reason: Refusal | 'aborted') => void;
}

/**
 * At most `limit` holders at once; the next callers wait first come, first served, at most `maxWaiting` of them
 * and each at most `timeoutMs`. A slot handed back goes straight to the oldest waiter.
 */
export class CapacityQueue {
  private holders = 0;
  private readonly waiting = new Set<Waiter>();

  constructor(
    readonly limit: number,
    private readonly maxWaiting: number,
    private readonly timeoutMs: number,
  ) {}

  get length(): number {
    return this.waiting.size;
  }

  /** The function that hands a free slot back, when one is free and nobody waits for it; else undefined. */
  tryAcquire(): (() => void) | undefined {
    if (this.holders >= this.limit || this.waiting.size > 0) return undefined;
    this.holders += 1;
    return this.releaser();
  }

  /**
   * Joins the queue: resolves to the slot's release function once one is handed over; rejects with the
   * {@link Refusal} (or `'aborted'` when `signal` fires first).
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject('aborted');
    if (this.timeoutMs === 0) return Promise.reject('queue_timeout');
    if (this.waiting.size >= this.maxWaiting) return Promise.reject('queue_full');
    return new Promise((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiting.delete(waiter);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          resolve(this.releaser());
        },
        refuse: (reason) => {
          leave();
          reject(reason);
        },
      };
      const onAbort = () => waiter.refuse('aborted');
      const timer = setTimeout(() => waiter.refuse('queue_timeout'), this.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.values().next();
      if (next.done) {
        this.holders -= 1;
        return;
      }
      next.value.grant();
    };
  }
}
