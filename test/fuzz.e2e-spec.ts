import { fuzzAndCheck, summary } from './fuzz/fuzz-check';
import { FuzzStack, startFuzzStack } from './fuzz/fuzz-stack';
import { killSpawnedGateways } from './helpers/gateway-process';

/** A short, fixed-seed run of `npm run fuzz` (issue 15): every route and RPC, mutated, with a valid token. */
describe('mutation fuzzing (short run)', () => {
  let stack: FuzzStack;
  beforeAll(async () => {
    stack = await startFuzzStack();
  });
  afterAll(async () => {
    await stack?.close();
    killSpawnedGateways();
  });

  it('answers 3,000 mutated requests without a crash, an unprescribed 5xx, a leak or a big scrape', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 15);
    const result = await fuzzAndCheck(stack, seed, 3_000);
    if (result.problems.length > 0) throw new Error(summary(result));
    expect(result.requests).toBe(3_000);
  }, 60_000);
});
