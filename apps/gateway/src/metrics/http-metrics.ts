import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** `http_request_duration_seconds{handler,method,status}` (http-api.md §5.3), measured to response start. */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'handler' | 'method' | 'status'>;
  private readonly authFailures: Counter<'code'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request arrival to response start, by route',
      labelNames: ['handler', 'method', 'status'],
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
    this.authFailures = new Counter({
      name: 'http_auth_failures_total',
      help: 'HTTP requests refused by authentication, by error code',
      labelNames: ['code'],
      registers: [registry],
    });
  }

  /** `code` is an `ErrorCode` value: a fixed set. */
  authFailed(code: string): void {
    this.authFailures.inc({ code });
  }

  observe(handler: string, method: string, statusCode: number, seconds: number): void {
    this.duration.observe({ handler, method, status: `${Math.floor(statusCode / 100)}xx` }, seconds);
  }
}
