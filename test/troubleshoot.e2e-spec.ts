import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOidcProvider, issueTlsMaterial, TlsMaterial } from './fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TEST_ENV, TestGateway } from './helpers/gateway';

const TROUBLESHOOT_JS = join(__dirname, '../dist/apps/gateway/troubleshoot.js');

const rsaPem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Output lines starting with a mark, e.g. `✘ Gateway answers at …`. */
  marked(mark: '✔' | '✘' | '⚠' | '–'): string[];
}

/** The built CLI as an operator runs it, with only the given environment (`npm test` builds first). */
async function troubleshoot(env: Record<string, string>, args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [TROUBLESHOOT_JS, ...args], {
    env: { PATH: process.env.PATH, ...env },
    cwd: tmpdir(),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  const marked = (mark: string) => stdout.split('\n').filter((line) => line.startsWith(`${mark} `));
  return { code, stdout, stderr, marked };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('troubleshoot CLI', () => {
  let gitlab: FakeOidcProvider;
  let model: OpenAiFake;
  let gateway: TestGateway;
  let env: Record<string, string>;
  let args: string[];

  beforeAll(async () => {
    gitlab = await FakeOidcProvider.start();
    model = await startOpenAiFake();
    env = {
      ...(TEST_ENV as Record<string, string>),
      AIGW_GITLAB_URL: gitlab.issuer,
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      AIGW_SELF_SIGNED_JWT__SIGNING_KEY: rsaPem(),
      DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: rsaPem().replace(/\n/g, '\\n'),
    };
    gateway = await startGateway(env);
    args = [
      ...gatewayArgs(),
      '--model-name',
      'codestral',
      '--model-endpoint',
      model.url,
      '--model-identifier',
      'custom_openai/codestral-22b',
      '--model-key',
      'model-key',
    ];
  }, 30_000);

  const gatewayArgs = () => ['--endpoint', `127.0.0.1:${gateway.httpPort}`, '--grpc-endpoint', gateway.grpcAddress];

  afterAll(async () => {
    await gateway?.close();
    await model?.close();
    await gitlab?.close();
  });

  it('passes every check against a healthy setup, with a real completion in the family’s prompt format', async () => {
    model.script({ text: 'print("Hello, world!")' });
    const run = await troubleshoot(env, args);

    expect(run.marked('✘')).toEqual([]);
    expect(run.marked('✔').map((line) => line.replace(/ — .*$/, ''))).toEqual([
      '✔ Configuration is valid',
      '✔ Self-hosted models are enabled (AIGW_CUSTOM_MODELS__ENABLED)',
      '✔ Authentication is enforced',
      `✔ GitLab ${gitlab.issuer} is reachable and publishes its signing keys`,
      '✔ Agent Platform signing key (DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY)',
      '✔ Model endpoint is reachable',
      `✔ Gateway answers at http://127.0.0.1:${gateway.httpPort}`,
      '✔ Gateway is ready',
      `✔ Agent Platform gRPC service is serving at ${gateway.grpcAddress}`,
      '✔ Test completion through the gateway',
    ]);
    expect(run.stdout).toContain('codestral completed "def hello_world():" with "print(\\"Hello, world!\\")"');
    expect(run.stdout).toContain('authenticated with a token signed by AIGW_SELF_SIGNED_JWT__SIGNING_KEY');
    expect(run.stdout).toMatch(/No problem found \(10 checks\)/);
    expect(run.code).toBe(0);

    const completion = model.requests.at(-1)!;
    expect(completion.headers.authorization).toBe('Bearer model-key');
    expect(completion.body.model).toBe('codestral-22b');
    expect(JSON.stringify(completion.body)).toContain('[PREFIX]def hello_world():');
  });

  it('names every broken dependency, keeps going, and skips what cannot run', async () => {
    const nothing = await closedPort();
    const { DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: _key, ...withoutKey } = env;
    const run = await troubleshoot(
      { ...withoutKey, AIGW_CUSTOM_MODELS__ENABLED: 'false', AIGW_GITLAB_URL: `http://127.0.0.1:${nothing}` },
      [
        '--endpoint',
        `127.0.0.1:${nothing}`,
        '--grpc-endpoint',
        `127.0.0.1:${nothing}`,
        '--model-name',
        'codestral',
        '--model-endpoint',
        `http://127.0.0.1:${nothing}/v1`,
      ],
    );

    expect(run.marked('✘')).toEqual([
      '✘ Self-hosted models are enabled (AIGW_CUSTOM_MODELS__ENABLED)',
      `✘ GitLab http://127.0.0.1:${nothing} is reachable and publishes its signing keys`,
      '✘ Agent Platform signing key (DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY)',
      '✘ Model endpoint is reachable',
      `✘ Gateway answers at http://127.0.0.1:${nothing}`,
      `✘ Agent Platform gRPC service is serving at 127.0.0.1:${nothing}`,
    ]);
    expect(run.stdout).toContain('Fix: Set AIGW_CUSTOM_MODELS__ENABLED=true');
    expect(run.stdout).toContain(`connection refused by 127.0.0.1:${nothing}`);
    expect(run.stdout).toContain('Fix: Generate one with `openssl genrsa 2048`');
    // The hint names the port that was tried, not the default.
    expect(run.stdout).toContain(`Check that port ${nothing} is published`);
    expect(run.stdout).not.toContain('port 50052 is published');
    expect(run.marked('–')).toEqual([
      '– Test completion through the gateway — skipped: the gateway does not answer (see above)',
    ]);
    expect(run.stdout).toMatch(/6 of 9 checks failed/);
    expect(run.code).toBe(1);
  });

  it('lists every invalid variable and still checks the signing key on its own', async () => {
    const run = await troubleshoot(
      { ...env, AIGW_FASTAPI__API_PORT: 'abc', DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: 'not a key' },
      gatewayArgs(),
    );
    expect(run.marked('✘')).toEqual([
      '✘ Configuration is valid',
      '✘ Agent Platform signing key (DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY)',
    ]);
    expect(run.stdout).toContain('AIGW_FASTAPI__API_PORT: must be an integer between 0 and 65535 (got "abc")');
    expect(run.stdout).toContain(
      'DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: must be an RSA private key in PEM format (got "****")',
    );
    expect(run.stdout).not.toContain('not a key');
    expect(run.marked('–').map((line) => line.replace(/ — .*$/, ''))).toEqual([
      '– Self-hosted models are enabled (AIGW_CUSTOM_MODELS__ENABLED)',
      '– GitLab is reachable and publishes its signing keys',
      '– Model endpoint is reachable',
      '– Test completion through the gateway',
    ]);
    expect(run.code).toBe(1);
  });

  it('rejects an Agent Platform key that is not RSA', async () => {
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const run = await troubleshoot({ ...env, DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: ecKey }, gatewayArgs());
    expect(run.stdout).toContain('✘ Agent Platform signing key');
    expect(run.code).toBe(1);
  });

  describe('with GitLab behind a certificate from a private CA', () => {
    let tls: TlsMaterial;
    let privateGitlab: FakeOidcProvider;

    beforeAll(async () => {
      tls = issueTlsMaterial();
      privateGitlab = await FakeOidcProvider.start(tls);
    });

    afterAll(() => privateGitlab.close());

    it('fails without the CA and says to set SSL_CERT_FILE', async () => {
      const run = await troubleshoot({ ...env, AIGW_GITLAB_URL: privateGitlab.issuer }, gatewayArgs());
      expect(run.marked('✘')).toEqual([`✘ GitLab ${privateGitlab.issuer} is reachable and publishes its signing keys`]);
      expect(run.stdout).toMatch(
        /TLS: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/,
      );
      expect(run.stdout).toContain('point SSL_CERT_FILE (or REQUESTS_CA_BUNDLE) at it');
    });

    it('passes with the CA bundle in REQUESTS_CA_BUNDLE', async () => {
      const run = await troubleshoot(
        { ...env, AIGW_GITLAB_URL: privateGitlab.issuer, REQUESTS_CA_BUNDLE: tls.caFile },
        gatewayArgs(),
      );
      expect(run.marked('✔')).toContain(
        `✔ GitLab ${privateGitlab.issuer} is reachable and publishes its signing keys — 1 RSA key(s) at ${privateGitlab.issuer}/oauth/discovery/keys`,
      );
      expect(run.code).toBe(0);
    });

    it('reports an unreadable CA bundle as a configuration error', async () => {
      const run = await troubleshoot({ ...env, SSL_CERT_FILE: '/nonexistent/ca.pem' }, gatewayArgs());
      expect(run.stdout).toContain('SSL_CERT_FILE: no such file (got "/nonexistent/ca.pem")');
      expect(run.marked('✘')).toEqual(['✘ Configuration is valid']);
    });
  });

  it('explains a test completion the gateway refuses without credentials', async () => {
    const { AIGW_SELF_SIGNED_JWT__SIGNING_KEY: _key, ...withoutUserTokenKey } = env;
    const run = await troubleshoot(withoutUserTokenKey, args);
    expect(run.marked('✘')).toEqual(['✘ Test completion through the gateway']);
    expect(run.stdout).toContain(
      'HTTP 401 {"error":"No authorization header presented"} (sent with Bypass-Auth: true)',
    );
    expect(run.stdout).toContain('AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER=true while troubleshooting only');
    expect(run.code).toBe(1);
  });

  it('points at the gateway log when the model fails the test completion', async () => {
    model.script({ status: 500, errorMessage: 'CUDA out of memory' });
    const run = await troubleshoot(env, args);
    expect(run.marked('✘')).toEqual(['✘ Test completion through the gateway']);
    expect(run.stdout).toMatch(/its log has the cause under correlation_id troubleshoot-[0-9a-f-]{36}/);
    expect(run.code).toBe(1);
  });

  it('warns when the model server does not serve the configured model', async () => {
    const listing = await startModelList(['mistral-7b']);
    try {
      const run = await troubleshoot(env, [
        ...gatewayArgs(),
        '--model-endpoint',
        listing.url,
        '--model-identifier',
        'custom_openai/codestral-22b',
      ]);
      expect(run.marked('⚠')).toEqual(['⚠ Model endpoint is reachable']);
      expect(run.stdout).toContain('the server serves mistral-7b, not codestral-22b');
    } finally {
      await listing.close();
    }
  });

  it('prints usage and exits 2 on an unknown option', async () => {
    const run = await troubleshoot(env, ['--model-nmae', 'codestral']);
    expect(run.stderr).toContain("Unknown option '--model-nmae'");
    expect(run.stderr).toContain('Usage: npm run troubleshoot -- [options]');
    expect(run.code).toBe(2);
  });
});

/** An OpenAI-compatible `GET /v1/models` listing only the given models. */
async function startModelList(ids: string[]) {
  const server = createHttpServer((request, response) => {
    if (request.url !== '/v1/models') return response.writeHead(404).end();
    const body = { object: 'list', data: ids.map((id) => ({ id, object: 'model' })) };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
