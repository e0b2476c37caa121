import { AffinityRing } from './affinity-ring';
import { pickLeastOutstanding } from './least-outstanding';
import { PoolBackend } from './pool-backend';
import { RetryBudget } from './retry-budget';
import { PoolConfig } from './routes-config';

export interface BackendChoice {
  backend: PoolBackend;
  /** Set under `prefix_affinity` when the call had an affinity key. */
  affinity?: 'home' | 'spill';
}

/** A pool of backends with its balancing policy and retry budget, as one version of the routes file built it. */
export class EndpointPool {
  readonly backends: PoolBackend[];
  readonly retryBudget: RetryBudget;
  private readonly ring?: AffinityRing;

  /** `previous`: the same pool before a reload; backends whose settings did not change keep their state. */
  constructor(
    readonly config: PoolConfig,
    previous?: EndpointPool,
  ) {
    const sameEjection = JSON.stringify(previous?.config.ejection) === JSON.stringify(config.ejection);
    this.backends = config.backends.map((backend) => {
      const kept = previous?.backends.find((old) => old.name === backend.name);
      const unchanged = kept && sameEjection && JSON.stringify(kept.config) === JSON.stringify(backend);
      return unchanged ? kept : new PoolBackend(backend, config.ejection);
    });
    this.retryBudget =
      previous && JSON.stringify(previous.config.retry) === JSON.stringify(config.retry)
        ? previous.retryBudget
        : new RetryBudget(config.retry);
    if (config.balance === 'prefix_affinity') this.ring = new AffinityRing(this.backends);
  }

  get name(): string {
    return this.config.name;
  }

  /** The backend for the next attempt of a call, among those available and not tried by it yet. */
  choose(now: number, tried: ReadonlySet<PoolBackend>, affinityKey?: string): BackendChoice | undefined {
    const candidates = this.backends.filter((backend) => !tried.has(backend) && backend.isAvailable(now));
    if (this.ring && affinityKey !== undefined) {
      const pick = this.ring.pick(affinityKey, candidates, this.config.affinity.loadFactor);
      if (pick) return { backend: pick.backend, affinity: pick.outcome };
    }
    const backend = pickLeastOutstanding(candidates);
    return backend && { backend };
  }
}
