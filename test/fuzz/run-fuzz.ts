import { fuzzAndCheck, summary } from './fuzz-check';
import { startFuzzStack } from './fuzz-stack';

/**
 * `npm run fuzz`: FUZZ_SEED (default: random, printed) and FUZZ_REQUESTS (default 20,000) against the built
 * gateway; exits 1 on any failure, printing the seed to replay it. FUZZ_ONLY=<case number> sends that one case.
 */
async function main(): Promise<void> {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const requests = Number(process.env.FUZZ_REQUESTS ?? 20_000);
  process.stdout.write(`fuzz: seed ${seed}, ${requests} requests\n`);
  const stack = await startFuzzStack();
  // A crash of this runner must not leave the gateway behind.
  process.once('exit', () => stack.gateway.child.kill('SIGKILL'));
  const started = Date.now();
  try {
    const only = process.env.FUZZ_ONLY === undefined ? undefined : Number(process.env.FUZZ_ONLY);
    const result = await fuzzAndCheck(stack, seed, requests, only);
    process.stdout.write(`${summary(result)}\n${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    process.exitCode = result.problems.length > 0 ? 1 : 0;
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
