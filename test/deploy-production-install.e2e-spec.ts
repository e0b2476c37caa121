import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, makeClientConstructor, ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { FakeExecutor } from './fakes/gitlab-executor';
import { startOpenAiFake } from './fakes/openai-compatible.server';
import { instructionsOf, readDockerfile, REPO_ROOT, runDocsIndexStage } from './helpers/dockerfile';
import { FLOW_SCENARIOS } from './helpers/flow-scenarios';
import {
  installProductionStage,
  NOBODY,
  parseJson,
  runAsNobody,
  startInstalledGateway as startProcess,
  uidOf,
} from './helpers/production-install';
import { workflowMetadata, WorkflowStream } from './helpers/workflow-stream';

/**
 * Repeats the Dockerfile's production stage without Docker: the same COPY lines into a temp dir (build
 * output from this checkout's dist/, which `npm test` has just built), the same `npm ci`, then the CMD. A
 * runtime dependency declared only as a dev dependency makes the gateway fail to start here.
 */
describe('production install, as deploy/Dockerfile does it', () => {
  const stages = readDockerfile();
  const production = stages.at(-1)!;
  let appDir: string;
  let docsIndexDir: string;

  beforeAll(async () => {
    // The air-gapped way (DOCS_DIR): the other one downloads GitLab's docs, and tests never use the internet.
    docsIndexDir = await runDocsIndexStage(stages, { DOCS_DIR: 'test/fixtures/gitlab-docs', GITLAB_DOCS_REF: '' });
    appDir = await installProductionStage(stages, docsIndexDir);
  }, 240_000);

  afterAll(() => [appDir, docsIndexDir].forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('installs no package the lock file marks as dev-only', () => {
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages)
      .filter(([, entry]) => entry.dev)
      .map(([path]) => path);
    expect(devOnly).toContain('node_modules/jest');
    expect(devOnly.filter((path) => existsSync(join(appDir, path)))).toEqual([]);
    expect(existsSync(join(appDir, 'node_modules/@nestjs/core'))).toBe(true);
  });

  it(`starts ${runAsNobody ? 'as the non-root user nobody' : 'as the current user (not root, or no setpriv)'}, is healthy, and exits 0 on SIGTERM`, async () => {
    const [command, ...args] = JSON.parse(instructionsOf(production, 'CMD')[0].args) as string[];
    expect(command).toBe('node');
    const gateway = startProcess(appDir, args);
    try {
      const ports = await gateway.listening;
      if (runAsNobody) expect(uidOf(gateway.child.pid!)).toBe(NOBODY);

      const healthz = await fetch(`http://127.0.0.1:${ports.http_port}/monitoring/healthz`);
      expect([healthz.status, await healthz.json()]).toEqual([200, {}]);
      const ready = await fetch(`http://127.0.0.1:${ports.http_port}/monitoring/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as any).details.docs_search).toMatchObject({
        status: 'up',
        sections: expect.any(Number),
      });
      const metrics = await fetch(`http://127.0.0.1:${ports.metrics_port}/metrics`);
      expect(await metrics.text()).toMatch(/^# HELP /m);
      expect(await grpcHealth(`127.0.0.1:${ports.grpc_port}`, 'DuoWorkflow')).toBe('SERVING');

      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toEqual({ code: 0, signal: null });
    } finally {
      gateway.child.kill('SIGKILL');
    }
  }, 60_000);

  it('writes human-readable logs with AIGW_LOGGING__FORMAT_JSON=false (pino-pretty is a runtime dependency)', async () => {
    const [, ...args] = JSON.parse(instructionsOf(production, 'CMD')[0].args) as string[];
    const gateway = startProcess(appDir, args, { AIGW_LOGGING__FORMAT_JSON: 'false' });
    try {
      const listening = await gateway.waitForLine(/Listening: HTTP/);
      expect(listening).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] INFO: \[main\] Listening: HTTP 127\.0\.0\.1:\d+/);
      expect(parseJson(listening)).toBeUndefined();
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toEqual({ code: 0, signal: null });
      expect(gateway.stderr()).not.toMatch(/unable to determine transport target/);
    } finally {
      gateway.child.kill('SIGKILL');
    }
  }, 60_000);

  it('runs the foundational flows from the files the image ships (libs/agent/flows)', async () => {
    const [, ...args] = JSON.parse(instructionsOf(production, 'CMD')[0].args) as string[];
    const model = await startOpenAiFake();
    const gateway = startProcess(appDir, args, { DUO_WORKFLOW_AUTH__ENABLED: 'false' });
    try {
      const ports = await gateway.listening;
      const metadata = workflowMetadata({
        modelMetadata: { provider: 'custom_openai', name: 'fake-model', endpoint: model.url },
      });
      for (const [name, create] of Object.entries(FLOW_SCENARIOS)) {
        const flow = create();
        model.script(flow.script.reply);
        const stream = new WorkflowStream(`127.0.0.1:${ports.grpc_port}`, metadata);
        new FakeExecutor(stream, flow.gitlab, flow.workdir);
        stream.send({ startRequest: { clientCapabilities: [], ...flow.startRequest } });
        const status = await stream.status;
        const last = stream.actions.filter((action) => action.action === 'newCheckpoint').at(-1);
        expect({ name, code: status.code, status: last?.newCheckpoint.status }).toEqual({
          name,
          code: 0,
          status: flow.finalStatus,
        });
      }
    } finally {
      gateway.child.kill('SIGKILL');
      await model.close();
    }
  }, 120_000);
});

const HealthClient = makeClientConstructor(healthService, 'grpc.health.v1.Health');

function grpcHealth(address: string, service: string): Promise<string> {
  const client = new HealthClient(address, credentials.createInsecure()) as any;
  return new Promise<string>((resolve, reject) =>
    client.check({ service }, (error: ServiceError | null, reply: { status: string }) =>
      error ? reject(error) : resolve(reply.status),
    ),
  ).finally(() => client.close());
}
