import { createHash } from 'node:crypto';
import { PoolBackend } from './pool-backend';

/** Points on the ring for the heaviest backend; lighter ones get fewer, in proportion. */
const POINTS_FOR_HEAVIEST = 160;

export interface AffinityPick {
  backend: PoolBackend;
  /** The key's own backend (`home`), or the next one because its own was out or over its share (`spill`). */
  outcome: 'home' | 'spill';
}

/**
 * Consistent hashing with bounded loads: a key goes to the first backend clockwise from its hash that is
 * available and has fewer calls under way than `loadFactor` × its weighted share of all calls (the new one
 * included). So a backend keeps its keys — and the prefixes its cache holds — while healthy and not overloaded,
 * and a backend going out moves only its own keys.
 */
export class AffinityRing {
  private readonly points: Array<{ hash: number; backend: PoolBackend }>;

  constructor(backends: readonly PoolBackend[]) {
    const heaviest = Math.max(0, ...backends.map((backend) => backend.weight));
    this.points = backends
      .filter((backend) => backend.weight > 0)
      .flatMap((backend) => {
        const count = Math.max(1, Math.round((POINTS_FOR_HEAVIEST * backend.weight) / heaviest));
        return Array.from({ length: count }, (_, index) => ({ hash: hash32(`${backend.name}#${index}`), backend }));
      })
      .sort((a, b) => a.hash - b.hash);
  }

  pick(key: string, candidates: readonly PoolBackend[], loadFactor: number): AffinityPick | undefined {
    if (candidates.length === 0 || this.points.length === 0) return undefined;
    const allowed = new Set(candidates);
    const totalWeight = candidates.reduce((sum, backend) => sum + backend.weight, 0);
    const calls = candidates.reduce((sum, backend) => sum + backend.outstanding, 0) + 1;
    const start = this.firstPointAtOrAfter(hash32(key));
    let home: PoolBackend | undefined;
    for (let step = 0; step < this.points.length; step += 1) {
      const { backend } = this.points[(start + step) % this.points.length];
      if (!allowed.has(backend)) continue;
      home ??= backend;
      const capacity = Math.ceil((loadFactor * calls * backend.weight) / totalWeight);
      if (backend.outstanding < capacity) return { backend, outcome: backend === home ? 'home' : 'spill' };
    }
    return undefined;
  }

  private firstPointAtOrAfter(hash: number): number {
    let low = 0;
    let high = this.points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.points[middle].hash < hash) low = middle + 1;
      else high = middle;
    }
    return low % this.points.length;
  }
}

function hash32(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0);
}
