/**
 * Request body bytes being received and parsed at once, process-wide (`AIGW_HTTP__MAX_INFLIGHT_BODY_BYTES`):
 * eight concurrent 50 MB bodies once took RSS to 1 GB and health checks' p99 to 1.1 s (issue 15).
 */
export class InflightBodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Takes `bytes` when they fit; false (and nothing taken) when they do not. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
