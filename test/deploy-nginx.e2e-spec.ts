import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, makeClientConstructor, Metadata, ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { Agent, request } from 'undici';
import { issueTlsMaterial, TlsMaterial } from './fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { REPO_ROOT } from './helpers/dockerfile';
import { startGateway, TestGateway } from './helpers/gateway';

const NGINX = findNginx();
if (!NGINX && !process.env.CI) {
  process.stderr.write(
    'deploy-nginx.e2e-spec: nginx is not installed, skipping (CI installs it and runs these tests)\n',
  );
}
const describeWithNginx = NGINX || process.env.CI ? describe : describe.skip;

/**
 * The repo's deploy/compose/nginx.conf and default.conf, with only hosts, ports, certificate paths and the pid
 * file substituted, in front of a real gateway: what an operator following docs/install.md gets.
 */
describeWithNginx('NGINX from deploy/compose in front of the gateway', () => {
  let dir: string;
  let tls: TlsMaterial;
  let model: OpenAiFake;
  let gateway: TestGateway;
  let nginx: ChildProcess;
  let https: { url: string; dispatcher: Agent };
  let grpcsAddress: string;

  beforeAll(async () => {
    if (!NGINX) throw new Error('nginx is required under CI; .ci/run installs the Debian package');
    dir = mkdtempSync(join(tmpdir(), 'aigw-nginx-'));
    // NGINX workers run as an unprivileged user when the master is root; they need to reach the temp dirs.
    chmodSync(dir, 0o755);
    tls = issueTlsMaterial();
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'certs/tls.crt'), tls.cert);
    writeFileSync(join(dir, 'certs/tls.key'), tls.key);

    model = await startOpenAiFake();
    gateway = await startGateway({
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER: 'true',
    });
    const [httpsPort, grpcsPort] = [await freePort(), await freePort()];
    writeConfig(dir, { httpsPort, grpcsPort, httpPort: gateway.httpPort, grpcPort: gateway.grpcPort });
    nginx = await startNginx(NGINX, dir);
    https = {
      url: `https://127.0.0.1:${httpsPort}`,
      dispatcher: new Agent({ connect: { ca: readFileSync(tls.caFile, 'utf8') } }),
    };
    grpcsAddress = `127.0.0.1:${grpcsPort}`;
  }, 30_000);

  afterAll(async () => {
    await https?.dispatcher.destroy();
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGTERM');
      await once(nginx, 'exit');
    }
    await gateway?.close();
    await model?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes the gateway’s 401 through HTTPS with its body and request id intact', async () => {
    const response = await request(`${https.url}/v2/code/completions`, {
      method: 'POST',
      dispatcher: https.dispatcher,
      headers: { 'content-type': 'application/json', 'x-request-id': 'nginx-e2e-1' },
      body: JSON.stringify({ prompt_version: 2, padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['x-request-id']).toBe('nginx-e2e-1');
    expect(await response.body.json()).toEqual({ error: 'No authorization header presented' });
  });

  it('gives a request without X-Request-ID one id: sent to the gateway, echoed, and in the access log', async () => {
    const response = await request(`${https.url}/monitoring/healthz`, { dispatcher: https.dispatcher });
    await response.body.text();
    const id = response.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    // NGINX writes the line once the response is done; wait for it rather than for a fixed time.
    const accessLog = () => (existsSync(join(dir, 'access.log')) ? readFileSync(join(dir, 'access.log'), 'utf8') : '');
    for (let waited = 0; !accessLog().includes(`rid=${id}`) && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(accessLog()).toContain(`"GET /monitoring/healthz HTTP/1.1" 200`);
    expect(accessLog()).toMatch(new RegExp(`/monitoring/healthz .* rid=${id}$`, 'm'));
  });

  it('delivers a streamed completion chunk by chunk while the model is still generating', async () => {
    model.script({ chunks: ['first chunk', ' second chunk', ' never sent'], stallAfterChunks: 2 });
    // The model never finishes (it stalls after its second event): text arrives only if nothing buffers it.
    const timeout = AbortSignal.timeout(5_000);
    const sent = request(`${https.url}/v2/code/completions`, {
      method: 'POST',
      dispatcher: https.dispatcher,
      headers: { 'content-type': 'application/json', 'bypass-auth': 'true' },
      body: JSON.stringify(streamingCompletion(model.url)),
    });
    const response = await Promise.race([sent, aborted(timeout)]);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);

    let received = '';
    const chunks = response.body[Symbol.asyncIterator]();
    while (!received.includes('first chunk')) {
      const next = await Promise.race([chunks.next(), aborted(timeout)]);
      expect(next.done).toBe(false);
      received += Buffer.from(next.value).toString('utf8');
    }
    response.body.destroy();
  }, 15_000);

  it('answers gRPC health checks over TLS, with large metadata and on a long-lived stream', async () => {
    const client = new HealthClient(grpcsAddress, credentials.createSsl(readFileSync(tls.caFile))) as any;
    try {
      const metadata = new Metadata();
      metadata.set('x-large-token', 'a'.repeat(30 * 1024));
      for (const service of ['', 'DuoWorkflow']) {
        const reply = await new Promise<{ status: string }>((resolve, reject) =>
          client.check({ service }, metadata, (error: ServiceError | null, result: { status: string }) =>
            error ? reject(error) : resolve(result),
          ),
        );
        expect(reply.status).toBe('SERVING');
      }
      const watch = client.watch({ service: 'DuoWorkflow' });
      const [update] = await once(watch, 'data');
      expect(update.status).toBe('SERVING');
      watch.on('error', () => undefined).cancel();
    } finally {
      client.close();
    }
  });
});

const HealthClient = makeClientConstructor(healthService, 'grpc.health.v1.Health');

function streamingCompletion(modelEndpoint: string) {
  return {
    prompt_version: 2,
    prompt: null,
    model_provider: 'litellm',
    model_name: 'codestral',
    model_endpoint: modelEndpoint,
    model_api_key: 'k',
    current_file: { file_name: 'app.py', content_above_cursor: 'def add(a, b):\n    ', content_below_cursor: '\n' },
    stream: true,
  };
}

function writeConfig(
  dir: string,
  ports: { httpsPort: number; grpcsPort: number; httpPort: number; grpcPort: number },
): void {
  const compose = join(REPO_ROOT, 'deploy/compose');
  let main = readFileSync(join(compose, 'nginx.conf'), 'utf8');
  main = substitute(main, 'include /etc/nginx/conf.d/*.conf;', `include ${dir}/default.conf;`, 1);
  main = substitute(main, 'pid /tmp/nginx.pid;', `pid ${dir}/nginx.pid;`, 1);
  main = substitute(main, 'access_log /dev/stdout gateway;', `access_log ${dir}/access.log gateway;`, 1);
  let servers = readFileSync(join(compose, 'default.conf'), 'utf8');
  servers = substitute(servers, 'server ai-gateway:5052;', `server 127.0.0.1:${ports.httpPort};`, 1);
  servers = substitute(servers, 'server ai-gateway:50052;', `server 127.0.0.1:${ports.grpcPort};`, 1);
  servers = substitute(servers, 'listen 443 ssl http2;', `listen 127.0.0.1:${ports.httpsPort} ssl http2;`, 1);
  servers = substitute(servers, 'listen 50052 ssl http2;', `listen 127.0.0.1:${ports.grpcsPort} ssl http2;`, 1);
  servers = substitute(servers, '/etc/nginx/certs/', `${dir}/certs/`, 4);
  writeFileSync(join(dir, 'nginx.conf'), main);
  writeFileSync(join(dir, 'default.conf'), servers);
}

/** Fails loudly when the repo's config no longer has the line the test replaces. */
function substitute(text: string, from: string, to: string, expected: number): string {
  const count = text.split(from).length - 1;
  if (count !== expected) throw new Error(`expected ${expected} × "${from}" in the NGINX config, found ${count}`);
  return text.split(from).join(to);
}

async function startNginx(binary: string, dir: string): Promise<ChildProcess> {
  const child = spawn(binary, ['-p', dir, '-e', 'stderr', '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  // NGINX writes its pid file once every listening socket is open.
  const deadline = Date.now() + 10_000;
  while (!existsSync(join(dir, 'nginx.pid'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return child;
}

function findNginx(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin'].map((folder) =>
    join(folder, 'nginx'),
  );
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) =>
    signal.addEventListener(
      'abort',
      () => reject(new Error('no text arrived while the model held the stream open: something buffers it')),
      { once: true },
    ),
  );
}
