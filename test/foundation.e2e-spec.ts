import { Client, credentials, Metadata, status } from '@grpc/grpc-js';
import { checkHealth, healthClient } from './helpers/grpc-clients';
import { startGateway, TestGateway } from './helpers/gateway';

const NO_AUTH = { error: 'No authorization header presented' };

describe('Foundation (HTTP + gRPC, booted app)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  const get = (path: string, init?: RequestInit) => fetch(`${gateway.baseUrl}${path}`, init);

  it.each(['/', '/docs', '/openapi.json', '/no/such/path'])(
    'answers GET %s without credentials with the exact 401',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual(NO_AUTH);
    },
  );

  it('answers an unknown POST without credentials with 401 too (auth runs before routing)', async () => {
    const response = await get('/v9/nothing', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(NO_AUTH);
  });

  it('rejects other schemes and token types with the contract messages', async () => {
    const basic = await get('/', { headers: { authorization: 'Token x' } });
    expect(await basic.json()).toEqual({ error: 'Invalid authorization header' });
    const noType = await get('/', { headers: { authorization: 'Bearer x' } });
    expect(await noType.json()).toEqual({ error: 'Invalid authentication token type - only OIDC is supported' });
  });

  it('serves healthz and ready without credentials', async () => {
    const healthz = await get('/monitoring/healthz');
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toEqual({});
    const ready = await get('/monitoring/ready');
    expect(ready.status).toBe(200);
    // 200 although GitLab (127.0.0.1:9 here) cannot be reached: remote parties only degrade readiness.
    expect(await ready.json()).toMatchObject({ status: 'degraded', info: { serving: { status: 'up' } } });
  });

  it('echoes X-Request-ID, generates one otherwise, and reports X-Process-Time', async () => {
    const echoed = await get('/', { headers: { 'x-request-id': 'abc' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc');
    expect(Number(echoed.headers.get('x-process-time'))).toBeGreaterThanOrEqual(0);
    const generated = await get('/monitoring/healthz');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers CORS preflights before authentication', async () => {
    const response = await get('/v2/code/completions', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://ide.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('answers the gRPC health check SERVING for "" and "DuoWorkflow" without metadata', async () => {
    const client = healthClient(gateway.grpcAddress);
    await expect(checkHealth(client, '')).resolves.toBe('SERVING');
    await expect(checkHealth(client, 'DuoWorkflow')).resolves.toBe('SERVING');
    client.close();
  });

  it('answers an unknown gRPC method with UNIMPLEMENTED', async () => {
    const client = new Client(gateway.grpcAddress, credentials.createInsecure());
    const error = await new Promise<{ code: number }>((resolve) =>
      client.makeUnaryRequest(
        '/DuoWorkflow/NoSuchMethod',
        (value: Buffer) => value,
        (value: Buffer) => value,
        Buffer.alloc(0),
        new Metadata(),
        (err) => resolve(err as unknown as { code: number }),
      ),
    );
    expect(error.code).toBe(status.UNIMPLEMENTED);
    client.close();
  });
});

describe('Foundation with auth bypassed', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true' });
  });
  afterAll(() => gateway.close());

  it('serves the OpenAPI document and Swagger UI', async () => {
    const document = await fetch(`${gateway.baseUrl}/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { info: { title: string } }).info.title).toBe('GitLab AI Gateway');
    expect((await fetch(`${gateway.baseUrl}/docs`)).status).toBe(200);
  });

  it('answers unknown paths 404 and wrong methods 405 in the contract shape', async () => {
    const missing = await fetch(`${gateway.baseUrl}/no/such/path`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not Found' });
    const wrongMethod = await fetch(`${gateway.baseUrl}/openapi.json`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toEqual({ detail: 'Method Not Allowed' });
  });

  it('serves http_request_duration_seconds on the metrics port after an API call', async () => {
    await fetch(`${gateway.baseUrl}/openapi.json`);
    const metrics = await fetch(gateway.metricsUrl);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{handler="\/openapi.json",method="GET",status="2xx"\} [1-9]/,
    );
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).not.toMatch(/handler="\/monitoring\/healthz"/);
  });
});
