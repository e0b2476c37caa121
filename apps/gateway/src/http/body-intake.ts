import { Transform, TransformCallback } from 'node:stream';
import { AppError, ErrorCode } from '@app/common';
import { InflightBodyBudget } from './inflight-body-budget';

/** How long a client refused for lack of room waits before trying again. */
const RETRY_AFTER_S = 1;

export function bodyTimedOut(timeoutS: number): AppError {
  return new AppError(ErrorCode.RequestTimeout, `The request body did not arrive within ${timeoutS} s`);
}

export function noRoomForBody(): AppError {
  return new AppError(ErrorCode.Unavailable, 'Too many request bytes in flight; try again shortly', {
    retryAfterS: RETRY_AFTER_S,
  });
}

/**
 * A request body on its way to the parser: it must end within the body timeout, and its bytes count against the
 * process-wide budget until {@link release} (the response is done). Either failure ends the stream with an
 * `AppError`, which the parser answers with the connection closed.
 */
export class BodyIntake extends Transform {
  private received = 0;
  private readonly timer: NodeJS.Timeout;

  /** `taken`: bytes already taken from the budget for this body (its declared length). */
  constructor(
    private readonly budget: InflightBodyBudget,
    timeoutS: number,
    private taken: number,
  ) {
    super();
    this.timer = setTimeout(() => this.destroy(bodyTimedOut(timeoutS)), timeoutS * 1000);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    const more = this.received - this.taken;
    if (more > 0) {
      if (!this.budget.take(more)) return callback(noRoomForBody());
      this.taken += more;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    clearTimeout(this.timer);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    callback(error);
  }

  /** Gives the body's bytes back to the budget; once. */
  release(): void {
    clearTimeout(this.timer);
    this.budget.give(this.taken);
    this.taken = 0;
  }
}
