import { Counter, Registry } from 'prom-client';
import { LimitKind } from './limit-store';
import { FailurePolicy, LimitScope } from './limits-options';

/**
 * `gateway_limit_rejections_total{scope,limit,pool}` and `gateway_limit_store_failures_total{policy}`.
 * Labels are bounded: never a user or instance id; `pool` is a configured pool name or `other`.
 */
export class LimitMetrics {
  private readonly rejections: Counter<'scope' | 'limit' | 'pool'>;
  private readonly storeFailures: Counter<'policy'>;

  constructor(registry: Registry) {
    this.rejections = new Counter({
      name: 'gateway_limit_rejections_total',
      help: 'Requests refused by a configured limit, by scope and limit kind',
      labelNames: ['scope', 'limit', 'pool'],
      registers: [registry],
    });
    this.storeFailures = new Counter({
      name: 'gateway_limit_store_failures_total',
      help: 'Limit checks the store (Redis) could not answer in time, by the failure policy applied',
      labelNames: ['policy'],
      registers: [registry],
    });
  }

  rejected(scope: LimitScope, limit: LimitKind, pool: string): void {
    this.rejections.inc({ scope, limit, pool });
  }

  storeFailed(policy: FailurePolicy): void {
    this.storeFailures.inc({ policy });
  }
}
