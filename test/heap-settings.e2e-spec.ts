import { readFileSync } from 'node:fs';
import { killSpawnedGateways, spawnGateway } from './helpers/gateway-process';

const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

/** apps/gateway/src/heap-settings.ts: the young generation is capped at start, in the same process (issue 21). */
describe('heap settings of the gateway process', () => {
  afterEach(killSpawnedGateways);

  it('runs with 8 MiB semi-spaces, re-executed in place (same pid)', async () => {
    const gateway = await spawnGateway();
    expect(commandLine(gateway.child.pid!)).toContain('--max-semi-space-size=8');
    expect((await fetch(`http://127.0.0.1:${gateway.httpPort}/monitoring/ready`)).status).toBe(200);
  });

  it("keeps the operator's own semi-space size from NODE_OPTIONS", async () => {
    const gateway = await spawnGateway({ NODE_OPTIONS: '--max-semi-space-size=16' });
    expect(commandLine(gateway.child.pid!).some((arg) => arg.startsWith('--max-semi-space-size'))).toBe(false);
  });
});
