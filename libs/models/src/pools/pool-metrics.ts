import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EndpointPool } from './endpoint-pool';

type BackendLabel = 'pool' | 'backend';
export type AttemptResult = 'ok' | 'failed' | 'cancelled';

/**
 * Per-backend metrics of the endpoint pools. Labels are pool and backend names from the operator's routes file,
 * never request values, so their number is bounded by that file.
 */
@Injectable()
export class PoolMetrics {
  private readonly requests: Counter<BackendLabel | 'result'>;
  private readonly duration: Histogram<BackendLabel>;
  private readonly ejections: Counter<BackendLabel>;
  private readonly retries: Counter<BackendLabel>;
  private readonly probes: Counter<BackendLabel | 'result'>;
  private readonly fallbacks: Counter<'route' | 'pool'>;
  private readonly affinity: Counter<'pool' | 'outcome'>;
  private readonly reloads: Counter<'result'>;
  private pools: () => Iterable<EndpointPool> = () => [];

  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames: BackendLabel[] = ['pool', 'backend'];
    this.requests = new Counter({
      name: 'model_backend_requests_total',
      help: 'Calls to a pool backend, by result (ok, failed, cancelled); a retried call counts once per backend',
      labelNames: [...labelNames, 'result'],
      registers,
    });
    this.duration = new Histogram({
      name: 'model_backend_request_duration_seconds',
      help: 'Duration of calls to a pool backend, to the last byte of a stream',
      labelNames,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.ejections = new Counter({
      name: 'model_backend_ejections_total',
      help: 'Times a backend was taken out after consecutive connect failures or 5xx answers',
      labelNames,
      registers,
    });
    this.retries = new Counter({
      name: 'model_backend_retries_total',
      help: 'Calls retried on another backend after this one failed before the first byte',
      labelNames,
      registers,
    });
    this.probes = new Counter({
      name: 'model_backend_health_checks_total',
      help: 'Active health checks of a backend, by result (ok, failed)',
      labelNames: [...labelNames, 'result'],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'model_pool_fallbacks_total',
      help: 'Calls a route sent to one of its fallback pools',
      labelNames: ['route', 'pool'],
      registers,
    });
    this.affinity = new Counter({
      name: 'model_pool_affinity_total',
      help: "Prefix-affinity picks: the key's own backend (home) or the next one (spill)",
      labelNames: ['pool', 'outcome'],
      registers,
    });
    this.reloads = new Counter({
      name: 'model_routes_reloads_total',
      help: 'Changes of the routes file: applied, or rejected (the previous version stays)',
      labelNames: ['result'],
      registers,
    });
    const pools = () => this.pools();
    new Gauge({
      name: 'model_backend_healthy',
      help: 'Whether a backend takes calls (1), or is ejected or failing its health check (0)',
      labelNames,
      registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const pool of pools()) {
          for (const backend of pool.backends) {
            this.set({ pool: pool.name, backend: backend.name }, backend.state(now) === 'healthy' ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: 'model_backend_outstanding_requests',
      help: 'Calls under way on a backend',
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const pool of pools()) {
          for (const backend of pool.backends)
            this.set({ pool: pool.name, backend: backend.name }, backend.outstanding);
        }
      },
    });
  }

  /** The pools the gauges report; the current ones after each reload. */
  observe(pools: () => Iterable<EndpointPool>): void {
    this.pools = pools;
  }

  attempted(pool: string, backend: string, result: AttemptResult, seconds: number): void {
    this.requests.inc({ pool, backend, result });
    this.duration.observe({ pool, backend }, seconds);
  }

  ejected(pool: string, backend: string): void {
    this.ejections.inc({ pool, backend });
  }

  retried(pool: string, backend: string): void {
    this.retries.inc({ pool, backend });
  }

  probed(pool: string, backend: string, ok: boolean): void {
    this.probes.inc({ pool, backend, result: ok ? 'ok' : 'failed' });
  }

  fellBack(route: string, pool: string): void {
    this.fallbacks.inc({ route, pool });
  }

  reloaded(applied: boolean): void {
    this.reloads.inc({ result: applied ? 'applied' : 'rejected' });
  }

  picked(pool: string, outcome: 'home' | 'spill'): void {
    this.affinity.inc({ pool, outcome });
  }
}
