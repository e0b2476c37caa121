import { Action } from '../contract/contract-types';

/**
 * Actions waiting for the transport, pulled one at a time so gRPC back-pressure reaches the producers.
 * A checkpoint queued behind another checkpoint replaces it: only the latest state goes out (§4.2).
 */
interface Queued {
  action: Action;
  checkpoint: boolean;
  /** Called when the transport takes the action (an incremental checkpoint's base moves then). */
  onSent?: () => void;
}

export class ActionOutbox implements AsyncIterable<Action> {
  private readonly queue: Queued[] = [];
  private wake?: () => void;
  private closed = false;

  push(action: Action): void {
    this.enqueue({ action, checkpoint: false });
  }

  pushCheckpoint(action: Action, onSent?: () => void): void {
    const last = this.queue[this.queue.length - 1];
    if (last?.checkpoint) this.queue.pop();
    this.enqueue({ action, checkpoint: true, onSent });
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
        next.onSent?.();
        yield next.action;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private enqueue(item: Queued): void {
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
