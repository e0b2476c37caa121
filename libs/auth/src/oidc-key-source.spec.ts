import { generateKeyPairSync } from 'node:crypto';
import { Clock } from './clock';
import { OidcKeyFetcher } from './oidc-key-fetcher';
import { OidcKeySource } from './oidc-key-source';
import { VerificationKey } from './verification-key';

const ORIGIN = 'https://gitlab.example.com';
const FLOOR_MS = 30_000;
const DAY_MS = 86_400_000;

class FakeClock extends Clock {
  ms = 1_700_000_000_000;
  override nowMs(): number {
    return this.ms;
  }
}

/** Stands in for the HTTP client: answers from `answers`, one per call, the last one repeating. */
class FakeFetcher {
  calls = 0;
  answers: Array<VerificationKey[] | Error> = [];
  gate?: Promise<void>;

  async fetchKeys(): Promise<VerificationKey[]> {
    this.calls += 1;
    await this.gate;
    const answer = this.answers[Math.min(this.calls, this.answers.length) - 1];
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

const newKey = (kid: string): VerificationKey => ({
  kid,
  key: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
  source: ORIGIN,
});

describe(OidcKeySource.name, () => {
  let clock: FakeClock;
  let fetcher: FakeFetcher;
  let source: OidcKeySource;
  const first = newKey('first');
  const second = newKey('second');

  beforeEach(() => {
    clock = new FakeClock();
    fetcher = new FakeFetcher();
    fetcher.answers = [[first]];
    source = new OidcKeySource(ORIGIN, fetcher as unknown as OidcKeyFetcher, clock, FLOOR_MS);
  });

  it('fetches nothing by itself, and reports reachable null (unknown) until a fetch answers', async () => {
    expect(fetcher.calls).toBe(0);
    expect(source.current()).toEqual([]);
    expect(source.status()).toEqual({ origin: ORIGIN, reachable: null, keys: 0 });
    fetcher.answers = [[first]];
    await source.refetch();
    expect(source.status()).toMatchObject({ origin: ORIGIN, reachable: true, keys: 1 });
  });

  it('keeps fetched keys for 24 hours, then fetches again', async () => {
    fetcher.answers = [[first], [second]];
    await source.ensureFresh();
    clock.ms += DAY_MS - 1;
    await source.ensureFresh();
    expect(fetcher.calls).toBe(1);
    clock.ms += 1;
    await source.ensureFresh();
    expect(fetcher.calls).toBe(2);
    expect(source.current()).toEqual([second]);
  });

  it('refuses a refetch within the floor and allows it after', async () => {
    fetcher.answers = [[first], [first, second]];
    await source.ensureFresh();
    await expect(source.refetch()).resolves.toBe(false);
    expect(fetcher.calls).toBe(1);
    clock.ms += FLOOR_MS;
    await expect(source.refetch()).resolves.toBe(true);
    expect(source.current()).toEqual([first, second]);
  });

  it('reports no change when the provider serves the same keys again', async () => {
    await source.ensureFresh();
    clock.ms += FLOOR_MS;
    await expect(source.refetch()).resolves.toBe(false);
    expect(fetcher.calls).toBe(2);
  });

  it('shares one fetch between concurrent callers', async () => {
    let open!: () => void;
    fetcher.gate = new Promise((resolve) => (open = resolve));
    const waiting = [source.ensureFresh(), source.ensureFresh(), source.refetch()];
    open();
    await Promise.all(waiting);
    expect(fetcher.calls).toBe(1);
  });

  it('keeps the last keys when a fetch fails, reports the provider unreachable, and retries after the floor', async () => {
    fetcher.answers = [[first], new Error('connect ECONNREFUSED'), [second]];
    await source.ensureFresh();
    clock.ms += DAY_MS;
    await source.ensureFresh();
    expect(source.current()).toEqual([first]);
    expect(source.status()).toMatchObject({ reachable: false, keys: 1, error: 'connect ECONNREFUSED' });
    await source.ensureFresh();
    expect(fetcher.calls).toBe(2);
    clock.ms += FLOOR_MS;
    await source.ensureFresh();
    expect(source.current()).toEqual([second]);
    expect(source.status().reachable).toBe(true);
  });
});
