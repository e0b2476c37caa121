import { Injectable } from '@nestjs/common';

/**
 * The drain model, one for both listeners. SIGTERM/SIGINT starts draining: readiness and gRPC health fail while
 * both listeners still accept. Then closing: listeners stop accepting, new workflow streams are refused, in-flight
 * work gets the rest of the grace period. Then cut: what is still running is ended (workflows with UNAVAILABLE).
 */
@Injectable()
export class ShutdownState {
  private draining = false;
  private closing = false;
  private readonly listeners: Array<() => void> = [];
  private readonly cutController = new AbortController();

  get isDraining(): boolean {
    return this.draining;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Aborted when the grace period is over: whoever still runs must end now. */
  get cutSignal(): AbortSignal {
    return this.cutController.signal;
  }

  startDraining(): void {
    if (this.draining) return;
    this.draining = true;
    for (const listener of this.listeners) listener();
  }

  startClosing(): void {
    this.startDraining();
    this.closing = true;
  }

  cutRemaining(): void {
    this.startClosing();
    this.cutController.abort();
  }

  onDrain(listener: () => void): void {
    this.listeners.push(listener);
  }
}
