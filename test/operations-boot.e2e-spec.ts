import { generateKeyPairSync } from 'node:crypto';
import { checkHealth, healthClient } from './helpers/grpc-clients';
import { freePort } from '../apps/gateway/src/cluster/free-port';
import { killSpawnedGateways, runToExit, spawnGateway } from './helpers/gateway-process';

const rsaPem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

/** Issue 14: no silent misconfiguration, seen from the built entry point as an operator sees it. */
describe('boot-time configuration checks (built entry point)', () => {
  afterEach(killSpawnedGateways);

  it('stops with one message naming a missing CA bundle and missing TLS files with the other bad values, no stack', async () => {
    const { code, stderr } = await runToExit({
      SSL_CERT_FILE: '/nonexistent.pem',
      DUO_WORKFLOW_TLS__ENABLED: 'true',
      AIGW_FASTAPI__API_PORT: 'abc',
    });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Invalid configuration:',
      '  - SSL_CERT_FILE: no such file (got "/nonexistent.pem")',
      '  - AIGW_FASTAPI__API_PORT: must be an integer between 0 and 65535 (got "abc")',
      '  - DUO_WORKFLOW_TLS__CERT_FILE: is required when DUO_WORKFLOW_TLS__ENABLED is true (got "")',
      '  - DUO_WORKFLOW_TLS__KEY_FILE: is required when DUO_WORKFLOW_TLS__ENABLED is true (got "")',
    ]);
    expect(stderr).not.toMatch(/ENOENT|\n\s+at /);
  });

  it("serves gRPC on GitLab's PORT when AIGW_AGENT_PLATFORM__PORT is not set", async () => {
    const port = await freePort('127.0.0.1');
    const gateway = await spawnGateway({ AIGW_AGENT_PLATFORM__PORT: undefined, PORT: String(port) } as never);
    expect(gateway.grpcPort).toBe(port);
    const health = healthClient(`127.0.0.1:${port}`);
    await expect(checkHealth(health, 'DuoWorkflow')).resolves.toBe('SERVING');
    health.close();
  });

  it('warns about a typo naming the closest variable, and about each missing signing key naming what stops', async () => {
    const gateway = await spawnGateway({ AIGW_CUSTOM_MODEL__ENABLED: 'true', AIGW_VERTEX_SEARCH__PROJECT: 'ignored' });
    const summary = await gateway.waitForLog((line) => String(line.message).startsWith('Configuration:'));
    const warnings = gateway.logs.filter((line) => line.level === 'warn' && line.logger === 'config');
    expect(warnings.map((line) => line.message)).toEqual([
      'Unknown variable AIGW_CUSTOM_MODEL__ENABLED is ignored; did you mean AIGW_CUSTOM_MODELS__ENABLED?',
      expect.stringMatching(/^DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY is not set: .*GenerateToken/),
      expect.stringMatching(/^AIGW_SELF_SIGNED_JWT__SIGNING_KEY is not set: POST \/v1\/code\/user_access_token/),
    ]);
    expect(summary.message).toContain('custom models off');
  });

  it('logs an error naming the missing key when /v1/code/user_access_token cannot sign', async () => {
    const gateway = await spawnGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true' });
    const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/v1/code/user_access_token`, {
      method: 'POST',
      headers: { 'x-gitlab-global-user-id': 'u', 'x-gitlab-instance-id': 'i', 'x-gitlab-realm': 'self-managed' },
    });
    expect([response.status, await response.json()]).toEqual([500, { detail: 'Failed to generate JWT' }]);
    const logged = await gateway.waitForLog((line) => line.logger === 'user_access_token');
    expect(logged).toMatchObject({
      level: 'error',
      message: 'Cannot issue a user access token: AIGW_SELF_SIGNED_JWT__SIGNING_KEY is not set',
    });
  });

  it('logs a 500 the contract asks for (custom models disabled) at warn with its message, not as an unhandled error', async () => {
    const gateway = await spawnGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true' });
    const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/v1/prompts/model_configuration/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: {},
        model_metadata: { provider: 'openai', name: 'mistral', endpoint: 'http://127.0.0.1:9/v1' },
      }),
    });
    expect([response.status, await response.text()]).toEqual([500, 'Internal Server Error']);
    const logged = await gateway.waitForLog((line) => line.logger === 'api.error');
    expect(logged).toMatchObject({
      level: 'warn',
      message: 'Endpoint override not allowed when custom models are disabled.',
      error_id: response.headers.get('x-error-id'),
    });
    expect(logged).not.toHaveProperty('err');
  });

  it('logs one Configuration: line with GitLab, custom models, auth, ports and workers, and no secret', async () => {
    const signingKey = rsaPem();
    const gateway = await spawnGateway({
      AIGW_GITLAB_URL: 'http://127.0.0.1:9',
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: signingKey,
      HTTPS_PROXY: 'http://user:hunter2@127.0.0.1:9',
      NO_PROXY: '127.0.0.1',
    });
    const summary = await gateway.waitForLog((line) => String(line.message).startsWith('Configuration:'));
    expect(summary.message).toBe(
      'Configuration: GitLab http://127.0.0.1:9; customer portal off; custom models on; provider packages none; ' +
        'auth oidc, Agent Platform auth on; ' +
        'signing keys: Agent Platform set, user access tokens unset; ' +
        `HTTP 127.0.0.1:${gateway.httpPort}, gRPC 127.0.0.1:${gateway.grpcPort} (TLS off), metrics 127.0.0.1:${gateway.metricsPort}; ` +
        'workers 1; proxy http://127.0.0.1:9 (except 127.0.0.1); log level info',
    );
    expect(summary.configuration).toMatchObject({ custom_models: 'on', workers: 1, ports: expect.any(Object) });
    const everything = JSON.stringify(gateway.logs);
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain(signingKey.split('\n')[1]);
    expect(gateway.logs.filter((line) => String(line.message).startsWith('Configuration:'))).toHaveLength(1);
  });

  it('reports an unreachable GitLab as unreachable, with the reason, without waiting for a request; readiness stays 200', async () => {
    const gateway = await spawnGateway({ AIGW_GITLAB_URL: 'http://127.0.0.1:9' });
    await gateway.waitForLog((line) => line.message === 'Could not fetch OIDC keys');
    const ready = await fetch(`http://127.0.0.1:${gateway.httpPort}/monitoring/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; details: Record<string, any> };
    expect(body.status).toBe('degraded');
    expect(body.details.auth_key_sources).toEqual({
      status: 'degraded',
      sources: [
        {
          origin: 'http://127.0.0.1:9',
          reachable: false,
          keys: 0,
          error: expect.stringMatching(/ECONNREFUSED|refused/),
        },
      ],
    });
  });

  it('does not log a route-mapping line at info', async () => {
    const gateway = await spawnGateway();
    await gateway.waitForLog((line) => String(line.message).startsWith('Configuration:'));
    expect(gateway.logs.filter((line) => /Mapped \{/.test(String(line.message)))).toEqual([]);
    expect(gateway.logs.filter((line) => line.level === 'fatal')).toEqual([]);
  });
});
