import { Action } from '../contract/contract-types';

/**
 * Actions waiting for the transport, pulled one at a time so gRPC back-pressure reaches the producers.
 * A checkpoint queued behind another checkpoint replaces it: only the latest state goes out (§4.2).
 */
export class ActionOutbox implements AsyncIterable<Action> {
  private readonly queue: Array<{ action: Action; checkpoint: boolean }> = [];
  private wake?: () => void;
  private closed = false;

  push(action: Action): void {
    this.enqueue({ action, checkpoint: false });
  }

  pushCheckpoint(action: Action): void {
    const last = this.queue[this.queue.length - 1];
    if (last?.checkpoint) this.queue.pop();
    this.enqueue({ action, checkpoint: true });
  }

  /** Ends the iteration once the queue is empty; later pushes are dropped. */
  close(): void {
    this.closed = true;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Action> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        yield next.action;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private enqueue(item: { action: Action; checkpoint: boolean }): void {
    if (this.closed) return;
    this.queue.push(item);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
