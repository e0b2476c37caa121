import { pickLeastOutstanding } from './least-outstanding';
import { PoolBackend } from './pool-backend';
import { Random } from '@test/helpers/random';

const EJECTION = { consecutiveFailures: 3, baseS: 10, maxS: 300 };

function backendsOf(weights: number[]): PoolBackend[] {
  return weights.map(
    (weight, index) => new PoolBackend({ name: `b${index}`, url: `http://b${index}:1`, weight }, EJECTION),
  );
}

/**
 * A closed loop of `concurrency` clients: each pick starts a call, and once `concurrency` calls are under way a
 * random one of them ends before the next pick (every call equally likely to end, whatever its backend, so a fair
 * balancer gives each backend its weighted share). Returns the index of the backend of each pick.
 */
function simulate(weights: number[], picks: number, concurrency: number, random: () => number): number[] {
  const backends = backendsOf(weights);
  const running: PoolBackend[] = [];
  const history: number[] = [];
  while (history.length < picks) {
    if (running.length >= concurrency) {
      const [done] = running.splice(Math.floor(random() * running.length), 1);
      done.outstanding -= 1;
    }
    const chosen = pickLeastOutstanding(backends)!;
    chosen.outstanding += 1;
    running.push(chosen);
    history.push(backends.indexOf(chosen));
  }
  return history;
}

describe(pickLeastOutstanding.name, () => {
  it('takes the backend with the fewest calls under way per unit of weight', () => {
    const [a, b, c] = backendsOf([1, 2, 1]);
    a.outstanding = 1;
    b.outstanding = 3;
    c.outstanding = 2;
    expect(pickLeastOutstanding([a, b, c])).toBe(a);
    a.outstanding = 2;
    expect(pickLeastOutstanding([a, b, c])).toBe(b);
  });

  it('spreads sequential calls by weight, interleaved rather than in runs', () => {
    const backends = backendsOf([3, 1]);
    const order = Array.from({ length: 8 }, () => pickLeastOutstanding(backends)!.name);
    expect(order).toEqual(['b0', 'b0', 'b1', 'b0', 'b0', 'b0', 'b1', 'b0']);
  });

  it('returns nothing when there is no candidate', () => {
    expect(pickLeastOutstanding([])).toBeUndefined();
  });

  describe('property: over random weights and completion orders', () => {
    const seeds = Array.from({ length: 60 }, (_, seed) => seed + 1);
    const weightsFrom = (random: () => number) =>
      Array.from({ length: 2 + Math.floor(random() * 4) }, () => 1 + Math.floor(random() * 5));
    const total = (weights: number[]) => weights.reduce((sum, weight) => sum + weight, 0);

    function expectWeightedShares(weights: number[], history: number[]): void {
      weights.forEach((weight, index) => {
        const share = (history.length * weight) / total(weights);
        const count = history.filter((picked) => picked === index).length;
        expect(Math.abs(count - share)).toBeLessThanOrEqual(share * 0.1);
      });
    }

    it.each(seeds)('seed %i: sequential calls get their weighted shares within 10 %%', (seed) => {
      const random = new Random(seed).next;
      const weights = weightsFrom(random);
      expectWeightedShares(weights, simulate(weights, 3000, 1, random));
    });

    it.each(seeds)('seed %i: with calls under way in proportion to the weights, shares stay within 10 %%', (seed) => {
      const random = new Random(seed).next;
      const weights = weightsFrom(random);
      const concurrency = total(weights) * (2 + Math.floor(random() * 4));
      expectWeightedShares(weights, simulate(weights, 20_000, concurrency, random));
    });

    it.each(seeds)('seed %i: at any concurrency no backend is starved', (seed) => {
      const random = new Random(seed).next;
      const weights = weightsFrom(random);
      const concurrency = 1 + Math.floor(random() * 32);
      const history = simulate(weights, 3000, concurrency, random);
      // Every backend is picked within any window of a few rounds: a round gives each one turn by weight, for
      // each call under way (its calls may all still be running).
      const window = 3 * Math.ceil(total(weights) / Math.min(...weights)) * (concurrency + 1);
      for (let start = 0; start + window <= history.length; start += window) {
        expect(new Set(history.slice(start, start + window)).size).toBe(weights.length);
      }
    });
  });
});
