import { BackendConfig, EjectionConfig, HealthCheckConfig } from './routes-config';

/** Why a backend takes no calls right now. */
export type BackendState = 'healthy' | 'ejected' | 'unhealthy';

/**
 * One backend of a pool and what the balancer knows of it: calls under way, the passive circuit breaker
 * (consecutive failures → ejected for a back-off that doubles while it keeps failing) and the active health
 * check's verdict. Times are milliseconds from the injected clock.
 */
export class PoolBackend {
  outstanding = 0;
  /** Smooth weighted round-robin credit, to break ties between equally loaded backends by weight. */
  credit = 0;
  private consecutiveFailures = 0;
  private ejections = 0;
  private ejectedUntil = 0;
  private probeFailures = 0;
  private probeSuccesses = 0;
  private probedUnhealthy = false;

  constructor(
    readonly config: BackendConfig,
    private readonly ejection: EjectionConfig,
  ) {}

  get name(): string {
    return this.config.name;
  }

  get weight(): number {
    return this.config.weight;
  }

  state(now: number): BackendState {
    if (this.probedUnhealthy) return 'unhealthy';
    return now < this.ejectedUntil ? 'ejected' : 'healthy';
  }

  /** Takes calls: weighted, not ejected, and not failed by the health check. */
  isAvailable(now: number): boolean {
    return this.weight > 0 && this.state(now) === 'healthy';
  }

  succeeded(): void {
    this.consecutiveFailures = 0;
    this.ejections = 0;
  }

  /** A connect failure or a 5xx; true when this one ejected the backend. */
  failed(now: number): boolean {
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures < this.ejection.consecutiveFailures || now < this.ejectedUntil) return false;
    const backOffS = Math.min(this.ejection.baseS * 2 ** this.ejections, this.ejection.maxS);
    this.ejections += 1;
    this.consecutiveFailures = 0;
    this.ejectedUntil = now + backOffS * 1000;
    return true;
  }

  /**
   * One active probe's outcome; returns the state change it caused, if any. A backend brought back by the probe
   * is also let out of an ejection: the probe has just seen it answer.
   */
  probed(ok: boolean, check: HealthCheckConfig): 'up' | 'down' | undefined {
    if (ok) {
      this.probeFailures = 0;
      this.probeSuccesses += 1;
      if (!this.probedUnhealthy || this.probeSuccesses < check.healthyThreshold) return undefined;
      this.probedUnhealthy = false;
      this.ejectedUntil = 0;
      this.consecutiveFailures = 0;
      return 'up';
    }
    this.probeSuccesses = 0;
    this.probeFailures += 1;
    if (this.probedUnhealthy || this.probeFailures < check.unhealthyThreshold) return undefined;
    this.probedUnhealthy = true;
    return 'down';
  }
}
