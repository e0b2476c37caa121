import { readFileSync } from 'node:fs';
import { FakeOidcProvider } from './fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { ccBody } from './helpers/code-suggestion-bodies';
import { GatewayProcess, killSpawnedGateways, spawnGateway } from './helpers/gateway-process';
import { authHeaders } from './helpers/tokens';

const MiB = 1024 * 1024;
const BUDGET_MIB = 48;
/** Each could buffer 16 MiB (the per-answer cap): 768 MiB together without a process-wide budget. */
const HOSTILE_CALLS = 48;
/** Peak growth allowed: the budget twice over (a joined answer is copied once) and room for sockets and GC lag. */
const ALLOWED_GROWTH_MIB = 2 * BUDGET_MIB + 100;

/** Peak resident set size of a process so far (Linux `VmHWM`), in bytes. */
function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmHWM:'))!;
  return Number(line.replace(/\D/g, '')) * 1024;
}

/** Issue 15 item 7: a model endpoint that answers endless JSON cannot make the gateway buffer without end. */
describe('AIGW_MODEL_CLIENT__MAX_BUFFERED_BYTES', () => {
  let gitlab: FakeOidcProvider;
  let hostile: OpenAiFake;
  let healthy: OpenAiFake;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    [gitlab, hostile, healthy] = await Promise.all([FakeOidcProvider.start(), startOpenAiFake(), startOpenAiFake()]);
    gateway = await spawnGateway({
      AIGW_GITLAB_URL: gitlab.issuer,
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      AIGW_MODEL_CLIENT__MAX_BUFFERED_BYTES: String(BUDGET_MIB * MiB),
    });
  });
  afterAll(async () => {
    killSpawnedGateways();
    await Promise.all([gitlab.close(), hostile.close(), healthy.close()]);
  });

  const complete = (modelUrl: string) =>
    fetch(`http://127.0.0.1:${gateway.httpPort}/v2/code/completions`, {
      method: 'POST',
      headers: { ...authHeaders(gitlab), 'content-type': 'application/json' },
      body: JSON.stringify(ccBody(modelUrl)),
    });

  it('fails the calls whose answers would pass the budget with 503 "Inference failed", and memory stays bounded', async () => {
    expect((await complete(healthy.url)).status).toBe(200);
    const before = peakRss(gateway.child.pid!);
    hostile.script({ rawBody: ['{"choices": "'], endlessBody: 'x'.repeat(64 * 1024) });

    const answers = await Promise.all(
      Array.from({ length: HOSTILE_CALLS }, async () => {
        const response = await complete(hostile.url);
        return `${response.status} ${await response.text()}`;
      }),
    );

    expect(answers).toEqual(Array(HOSTILE_CALLS).fill('503 {"detail":"Inference failed"}'));
    // Without the budget the peak grows by about HOSTILE_CALLS × 16 MiB (twice that while answers are joined).
    expect(peakRss(gateway.child.pid!) - before).toBeLessThan(ALLOWED_GROWTH_MIB * MiB);
    const overBudget = gateway.logs.filter((line) =>
      JSON.stringify(line).includes(`the model answers this gateway holds in memory would exceed ${BUDGET_MIB} MiB`),
    );
    expect(overBudget.length).toBeGreaterThan(0);
    expect(await Promise.all(hostile.requests.map((request) => request.closed))).toEqual(
      Array(HOSTILE_CALLS).fill('aborted'),
    );

    healthy.script({ text: 'return a + b' });
    const after = await complete(healthy.url);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ choices: [{ text: 'return a + b' }] });
  }, 60_000);
});
