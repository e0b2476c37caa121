import { connect, Socket } from 'node:net';
import { once } from 'node:events';
import { checkHealth, healthClient } from './helpers/grpc-clients';
import { killSpawnedGateways, runToExit, spawnGateway } from './helpers/gateway-process';

describe('The gateway process (built entry point)', () => {
  afterEach(killSpawnedGateways);

  it('exits non-zero naming every bad variable, without a stack trace', async () => {
    const { code, stderr } = await runToExit({ AIGW_FASTAPI__API_PORT: 'abc', AIGW_AUTH__BYPASS_EXTERNAL: 'perhaps' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('AIGW_FASTAPI__API_PORT: must be an integer between 0 and 65535 (got "abc")');
    expect(stderr).toContain('AIGW_AUTH__BYPASS_EXTERNAL: must be one of true/false/1/0/yes/no/on/off (got "perhaps")');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('starts with no configuration at all and logs the bound ports', async () => {
    const gateway = await spawnGateway();
    expect(gateway.httpPort).toBeGreaterThan(0);
    expect(gateway.grpcPort).toBeGreaterThan(0);
    expect(gateway.metricsPort).toBeGreaterThan(0);
    const ready = await fetch(`http://127.0.0.1:${gateway.httpPort}/monitoring/ready`);
    expect(ready.status).toBe(200);
    gateway.child.kill('SIGTERM');
    await expect(gateway.exited).resolves.toBe(0);
  });

  it('lets an in-flight request finish after SIGTERM, refuses new connections and work, then exits 0', async () => {
    const gateway = await spawnGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true', AIGW_SHUTDOWN_GRACE_PERIOD_S: '20' });
    const health = healthClient(`127.0.0.1:${gateway.grpcPort}`);
    await expect(checkHealth(health, '')).resolves.toBe('SERVING');
    const watch = health.watch({ service: 'DuoWorkflow' });
    const statuses: string[] = [];
    const notServing = new Promise<void>((resolve) =>
      watch.on('data', ({ status }) => {
        statuses.push(status);
        if (status === 'NOT_SERVING') resolve();
      }),
    );
    watch.on('error', () => undefined);

    // A slow client: headers and half the body now, the rest after SIGTERM.
    const socket = connect(gateway.httpPort, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /slow/upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"a":',
    );
    const response = readResponse(socket);
    // One round trip on another connection: the gateway has read the slow request's headers by then, so the
    // request is in flight (not a new one arriving while the listener closes, which would get a 503).
    expect((await fetch(`http://127.0.0.1:${gateway.httpPort}/monitoring/healthz`)).status).toBe(200);

    gateway.child.kill('SIGTERM');
    await gateway.waitForLog((line) => String(line.message).startsWith('Draining'));
    await notServing;
    expect(statuses).toEqual(['SERVING', 'NOT_SERVING']);
    watch.cancel();
    const refused = await fetch(`http://127.0.0.1:${gateway.httpPort}/monitoring/healthz`).then(
      () => 'answered',
      (error: { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');

    socket.write('"bcdef"}');
    expect(await response).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[\s\S]*\r\n\r\n\{"detail":"Not Found"\}$/);
    health.close();
    socket.destroy();
    await expect(gateway.exited).resolves.toBe(0);
  });
});

function readResponse(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
      const [head, body = ''] = text.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? NaN);
      if (body.length >= length) resolve(text);
    });
    socket.on('error', reject);
  });
}
