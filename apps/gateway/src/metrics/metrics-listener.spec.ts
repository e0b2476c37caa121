import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { listenForMetrics, MetricsSource } from './metrics-listener';

describe(listenForMetrics.name, () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  const get = (path: string) => fetch(`http://127.0.0.1:${(server!.address() as AddressInfo).port}${path}`);

  it('answers any path with the rendered text and the source’s content type', async () => {
    const source: MetricsSource = { contentType: 'text/plain; version=0.0.4', render: async () => 'up 1\n' };
    server = await listenForMetrics(source, '127.0.0.1', 0, () => undefined);
    for (const path of ['/metrics', '/anything']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4');
      expect(await response.text()).toBe('up 1\n');
    }
  });

  it('answers 500 and reports the error when rendering fails', async () => {
    const failure = new Error('no workers');
    const errors: unknown[] = [];
    server = await listenForMetrics(
      { contentType: 'text/plain', render: () => Promise.reject(failure) },
      '127.0.0.1',
      0,
      (error) => errors.push(error),
    );
    const response = await get('/metrics');
    expect(response.status).toBe(500);
    expect(errors).toEqual([failure]);
  });

  it('rejects when the port is taken', async () => {
    server = await listenForMetrics(
      { contentType: 'text/plain', render: async () => '' },
      '127.0.0.1',
      0,
      () => undefined,
    );
    const { port } = server.address() as AddressInfo;
    await expect(
      listenForMetrics({ contentType: 'text/plain', render: async () => '' }, '127.0.0.1', port, () => undefined),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});
