import { Logger } from '@nestjs/common';
import { BackendProbe } from './backend-probe';
import { EndpointPool } from './endpoint-pool';
import { PoolBackend } from './pool-backend';
import { PoolMetrics } from './pool-metrics';

/** The active health checks of one version of the routes file: a timer per pool that has `health_check`. */
export class PoolHealthChecks {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<PoolBackend>();

  constructor(
    private readonly probe: BackendProbe,
    private readonly metrics: PoolMetrics,
    private readonly logger: Logger,
  ) {}

  start(pools: Iterable<EndpointPool>): void {
    for (const pool of pools) {
      const check = pool.config.healthCheck;
      if (!check) continue;
      const round = () => pool.backends.forEach((backend) => void this.check(pool, backend));
      const timer = setInterval(round, check.intervalS * 1000);
      timer.unref();
      this.timers.push(timer);
      round();
    }
  }

  stop(): void {
    this.timers.splice(0).forEach((timer) => clearInterval(timer));
  }

  private async check(pool: EndpointPool, backend: PoolBackend): Promise<void> {
    const check = pool.config.healthCheck!;
    if (this.running.has(backend)) return;
    this.running.add(backend);
    try {
      const url = new URL(check.path, backend.config.url).href;
      const headers: Record<string, string> = backend.config.apiKey
        ? { authorization: `Bearer ${backend.config.apiKey}` }
        : {};
      const ok = await this.probe.isHealthy(url, check.timeoutS, headers);
      this.metrics.probed(pool.name, backend.name, ok);
      const change = backend.probed(ok, check);
      if (change === 'down') {
        this.logger.warn(`Backend ${backend.name} of pool ${pool.name} failed its health check (${url}): out`);
      } else if (change === 'up') {
        this.logger.log(`Backend ${backend.name} of pool ${pool.name} passed its health check again: back in`);
      }
    } finally {
      this.running.delete(backend);
    }
  }
}
