import { RetryConfig } from './routes-config';

const BUCKET_MS = 1000;
const BUCKETS = 10;

/**
 * Retries a pool allows over the last 10 s: `minRetries`, or `budgetRatio` × the calls of that window if more.
 * It keeps retries from multiplying the load on a pool that is failing as a whole.
 */
export class RetryBudget {
  private readonly calls = new Array<number>(BUCKETS).fill(0);
  private readonly retries = new Array<number>(BUCKETS).fill(0);
  private bucketStart = 0;
  private current = 0;

  constructor(private readonly config: RetryConfig) {}

  recordCall(now: number): void {
    this.advance(now);
    this.calls[this.current] += 1;
  }

  /** Takes one retry from the budget when there is one left. */
  tryRetry(now: number): boolean {
    this.advance(now);
    const calls = this.calls.reduce((sum, count) => sum + count, 0);
    const retries = this.retries.reduce((sum, count) => sum + count, 0);
    if (retries >= Math.max(this.config.minRetries, Math.floor(calls * this.config.budgetRatio))) return false;
    this.retries[this.current] += 1;
    return true;
  }

  private advance(now: number): void {
    const elapsed = Math.floor((now - this.bucketStart) / BUCKET_MS);
    if (elapsed <= 0) return;
    for (let step = 1; step <= Math.min(elapsed, BUCKETS); step += 1) {
      const index = (this.current + step) % BUCKETS;
      this.calls[index] = 0;
      this.retries[index] = 0;
    }
    this.current = (this.current + elapsed) % BUCKETS;
    this.bucketStart += elapsed * BUCKET_MS;
  }
}
