import { AffinityRing } from './affinity-ring';
import { PoolBackend } from './pool-backend';

const EJECTION = { consecutiveFailures: 3, baseS: 10, maxS: 300 };
const backendsOf = (count: number) =>
  Array.from(
    { length: count },
    (_, index) => new PoolBackend({ name: `b${index}`, url: `http://b${index}:1`, weight: 1 }, EJECTION),
  );
const keys = Array.from({ length: 600 }, (_, index) => `user-${index % 37}\nfile-${index}.py`);

describe(AffinityRing.name, () => {
  it('sends a key to the same backend every time while it is available and within its share', () => {
    const backends = backendsOf(3);
    const ring = new AffinityRing(backends);
    for (const key of keys.slice(0, 50)) {
      const first = ring.pick(key, backends, 1.25)!;
      expect(first.outcome).toBe('home');
      expect(ring.pick(key, backends, 1.25)!.backend).toBe(first.backend);
    }
  });

  it('spreads keys over the backends roughly evenly', () => {
    const backends = backendsOf(3);
    const ring = new AffinityRing(backends);
    const counts = new Map<PoolBackend, number>();
    for (const key of keys) {
      const { backend } = ring.pick(key, backends, 1.25)!;
      counts.set(backend, (counts.get(backend) ?? 0) + 1);
    }
    for (const backend of backends) expect(counts.get(backend)).toBeGreaterThan(keys.length / 3 / 2);
  });

  it('moves only the keys of a backend that goes out', () => {
    const backends = backendsOf(3);
    const ring = new AffinityRing(backends);
    const before = keys.map((key) => ring.pick(key, backends, 1.25)!.backend);
    const remaining = backends.slice(0, 2);
    keys.forEach((key, index) => {
      const after = ring.pick(key, remaining, 1.25)!;
      if (before[index] !== backends[2]) expect(after).toEqual({ backend: before[index], outcome: 'home' });
      else expect(remaining).toContain(after.backend);
    });
  });

  it('spills to the next backend when the home one is over its bounded share', () => {
    const backends = backendsOf(3);
    const ring = new AffinityRing(backends);
    const key = keys[0];
    const home = ring.pick(key, backends, 1.25)!.backend;
    // 4 calls under way, all on the home backend: its bound is ceil(1.25 × 5 / 3) = 3.
    home.outstanding = 4;
    const pick = ring.pick(key, backends, 1.25)!;
    expect(pick.outcome).toBe('spill');
    expect(pick.backend).not.toBe(home);
    // With the others as busy (2 each), 7 calls: its bound is ceil(1.25 × 7 / 3) = 3, and it takes the key back.
    for (const backend of backends) backend.outstanding = 2;
    expect(ring.pick(key, backends, 1.25)).toEqual({ backend: home, outcome: 'home' });
  });

  it('gives heavier backends more of the keys', () => {
    const [light, heavy] = [
      new PoolBackend({ name: 'light', url: 'http://l:1', weight: 1 }, EJECTION),
      new PoolBackend({ name: 'heavy', url: 'http://h:1', weight: 3 }, EJECTION),
    ];
    const ring = new AffinityRing([light, heavy]);
    const onHeavy = keys.filter((key) => ring.pick(key, [light, heavy], 100)!.backend === heavy).length;
    expect(onHeavy / keys.length).toBeGreaterThan(0.6);
    expect(onHeavy / keys.length).toBeLessThan(0.9);
  });
});
