import { Injectable } from '@nestjs/common';

/** Wall-clock time for token lifetimes and key-cache ages; unit tests replace it. */
@Injectable()
export class Clock {
  nowMs(): number {
    return Date.now();
  }

  nowS(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}
