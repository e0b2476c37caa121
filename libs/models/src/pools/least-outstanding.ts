import { PoolBackend } from './pool-backend';

/**
 * Weighted least outstanding requests: the backend with the fewest calls under way per unit of weight. Equally
 * loaded backends (all idle, say) are told apart by smooth weighted round-robin, so that sequential traffic still
 * spreads by weight and none is starved.
 */
export function pickLeastOutstanding(candidates: readonly PoolBackend[]): PoolBackend | undefined {
  let tied: PoolBackend[] = [];
  for (const backend of candidates) {
    const order = tied.length === 0 ? -1 : compareLoad(backend, tied[0]);
    if (order < 0) tied = [backend];
    else if (order === 0) tied.push(backend);
  }
  if (tied.length <= 1) return tied[0];
  let total = 0;
  let best = tied[0];
  for (const backend of tied) {
    backend.credit += backend.weight;
    total += backend.weight;
    if (backend.credit > best.credit) best = backend;
  }
  best.credit -= total;
  return best;
}

/** `a.outstanding / a.weight` against `b`'s, without dividing (weights are positive). */
function compareLoad(a: PoolBackend, b: PoolBackend): number {
  return Math.sign(a.outstanding * b.weight - b.outstanding * a.weight);
}
