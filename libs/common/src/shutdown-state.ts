import { Injectable } from '@nestjs/common';

/** Set once on SIGTERM/SIGINT; readiness, gRPC health and stream admission read it. */
@Injectable()
export class ShutdownState {
  private draining = false;
  private readonly listeners: Array<() => void> = [];

  get isDraining(): boolean {
    return this.draining;
  }

  startDraining(): void {
    if (this.draining) return;
    this.draining = true;
    for (const listener of this.listeners) listener();
  }

  onDrain(listener: () => void): void {
    this.listeners.push(listener);
  }
}
