import { PoolBackend } from './pool-backend';

const CHECK = { path: '/health', intervalS: 1, timeoutS: 1, unhealthyThreshold: 2, healthyThreshold: 2 };

function failTimes(backend: PoolBackend, times: number, now: number): void {
  for (let time = 0; time < times; time += 1) backend.failed(now);
}

describe(PoolBackend.name, () => {
  const backend = () =>
    new PoolBackend({ name: 'a', url: 'http://a:1', weight: 1 }, { consecutiveFailures: 3, baseS: 10, maxS: 25 });

  it('is ejected after consecutive failures, for a back-off that doubles up to the maximum', () => {
    const subject = backend();
    expect([subject.failed(0), subject.failed(0), subject.failed(0)]).toEqual([false, false, true]);
    expect(subject.state(9_999)).toBe('ejected');
    expect(subject.isAvailable(10_000)).toBe(true);
    expect([subject.failed(10_000), subject.failed(10_000), subject.failed(10_000)]).toEqual([false, false, true]);
    expect(subject.state(29_999)).toBe('ejected');
    expect(subject.state(30_000)).toBe('healthy');
    failTimes(subject, 3, 30_000);
    expect(subject.state(54_999)).toBe('ejected');
    expect(subject.state(55_000)).toBe('healthy');
  });

  it('forgets failures once a call succeeds', () => {
    const subject = backend();
    subject.failed(0);
    subject.failed(0);
    subject.succeeded();
    expect(subject.failed(0)).toBe(false);
    expect(subject.state(0)).toBe('healthy');
  });

  it('goes out after the unhealthy threshold of failed probes and back after the healthy threshold', () => {
    const subject = backend();
    expect(subject.probed(false, CHECK)).toBeUndefined();
    expect(subject.probed(false, CHECK)).toBe('down');
    expect(subject.isAvailable(0)).toBe(false);
    expect(subject.probed(true, CHECK)).toBeUndefined();
    expect(subject.probed(false, CHECK)).toBeUndefined();
    expect(subject.probed(true, CHECK)).toBeUndefined();
    expect(subject.probed(true, CHECK)).toBe('up');
    expect(subject.isAvailable(0)).toBe(true);
  });

  it('is let out of an ejection by the health check that sees it answer again', () => {
    const subject = backend();
    subject.probed(false, CHECK);
    subject.probed(false, CHECK);
    failTimes(subject, 3, 0);
    subject.probed(true, CHECK);
    subject.probed(true, CHECK);
    expect(subject.state(1)).toBe('healthy');
  });

  it('takes no calls with weight 0', () => {
    const drained = new PoolBackend(
      { name: 'a', url: 'http://a:1', weight: 0 },
      { consecutiveFailures: 1, baseS: 1, maxS: 1 },
    );
    expect(drained.isAvailable(0)).toBe(false);
  });
});
