import { checkHealth, healthClient } from './helpers/grpc-clients';
import { killSpawnedGateways, spawnGateway } from './helpers/gateway-process';
import { get } from 'node:http';

describe('AIGW_WORKERS=2', () => {
  afterEach(killSpawnedGateways);

  it('shares the HTTP and gRPC ports between workers, sums their metrics, and drains all of them on SIGTERM', async () => {
    const gateway = await spawnGateway({ AIGW_WORKERS: '2', AIGW_AUTH__BYPASS_EXTERNAL: 'true' });
    const listening = new Set<unknown>();
    await gateway.waitForLog((line) => {
      if (String(line.message).startsWith('Listening')) listening.add(line.worker_id);
      return listening.size === 2;
    });
    expect(gateway.logs.find((line) => line.workers === 2)).toBeDefined();

    const requests = 20;
    for (let index = 0; index < requests; index += 1) {
      // A fresh connection each time, so both workers get some.
      await expect(statusOfFreshConnection(`http://127.0.0.1:${gateway.httpPort}/openapi.json`)).resolves.toBe(200);
    }
    const servedBy = new Set(
      gateway.logs
        .filter((line) => line.logger === 'api.access' && line.path === '/openapi.json')
        .map((line) => line.worker_id),
    );
    expect(servedBy.size).toBe(2);

    const metrics = await (await fetch(`http://127.0.0.1:${gateway.metricsPort}/metrics`)).text();
    const count =
      /http_request_duration_seconds_count\{handler="\/openapi.json",method="GET",status="2xx"\} (\d+)/.exec(metrics);
    expect(Number(count?.[1])).toBe(requests);

    const health = healthClient(`127.0.0.1:${gateway.grpcPort}`);
    await expect(checkHealth(health, 'DuoWorkflow')).resolves.toBe('SERVING');
    health.close();

    gateway.child.kill('SIGTERM');
    await expect(gateway.exited).resolves.toBe(0);
    expect(gateway.logs.filter((line) => line.message === 'Stopped')).toHaveLength(2);
  });
});

function statusOfFreshConnection(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) =>
    get(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    }).on('error', reject),
  );
}
