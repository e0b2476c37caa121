import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CUT_DETAILS } from '../apps/gateway/src/agent-platform/workflow-call.stream';
import { FakeExecutor, FakeGitLab } from './fakes/gitlab-executor';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { checkHealth, healthClient } from './helpers/grpc-clients';
import { killSpawnedGateways, spawnGateway } from './helpers/gateway-process';
import { workflowMetadata, WorkflowStream } from './helpers/workflow-stream';

const refusedOrAnswered = (url: string) =>
  fetch(url).then(
    (response) => response.status,
    (error: { cause?: { code?: string } }) => error.cause?.code,
  );

/**
 * The drain model (issue 15 item 8, docs/install.md "Shutdown") on the built process: unready while both
 * listeners still accept, then closed, then what is left is cut — a workflow with UNAVAILABLE, an HTTP stream
 * by closing it — and the process exits 0.
 */
describe('SIGTERM drain, one model for HTTP and gRPC', () => {
  let model: OpenAiFake;

  beforeAll(async () => {
    model = await startOpenAiFake();
  });
  afterAll(() => model.close());
  afterEach(killSpawnedGateways);

  it('fails readiness while accepting, closes the listeners, then cuts a workflow with UNAVAILABLE and closes an HTTP stream', async () => {
    const gateway = await spawnGateway({
      AIGW_SHUTDOWN_UNREADY_DELAY_S: '4',
      AIGW_SHUTDOWN_GRACE_PERIOD_S: '8',
      AIGW_AUTH__BYPASS_EXTERNAL: 'true',
      DUO_WORKFLOW_AUTH__ENABLED: 'false',
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
    });
    const http = `http://127.0.0.1:${gateway.httpPort}`;
    const grpc = `127.0.0.1:${gateway.grpcPort}`;
    // Every model answer streams one event and then stalls: both calls below stay in flight.
    model.script({ chunks: ['ret', 'urn'], stallAfterChunks: 1 });

    const response = await fetch(`${http}/v2/code/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt_version: 2,
        model_provider: 'litellm',
        model_name: 'codegemma',
        model_endpoint: model.url,
        current_file: { file_name: 'a.py', content_above_cursor: 'def f():\n    ', content_below_cursor: '' },
        stream: true,
      }),
    });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('ret');

    const seen = model.requests.length;
    const metadata = workflowMetadata({ modelMetadata: { provider: 'custom_openai', name: 'm', endpoint: model.url } });
    const workflow = new WorkflowStream(grpc, metadata);
    new FakeExecutor(workflow, new FakeGitLab(), mkdtempSync(join(tmpdir(), 'workflow-')));
    workflow.send({ startRequest: { workflowID: '42', goal: 'hi', workflowDefinition: 'chat' } });
    await model.waitForRequests(seen + 1);

    gateway.child.kill('SIGTERM');
    await gateway.waitForLog((line) => String(line.message).startsWith('Draining'));

    // Unready, yet both listeners still take new connections.
    expect(await refusedOrAnswered(`${http}/monitoring/ready`)).toBe(503);
    expect(await refusedOrAnswered(`${http}/monitoring/healthz`)).toBe(200);
    const health = healthClient(grpc);
    await expect(checkHealth(health, 'DuoWorkflow')).resolves.toBe('NOT_SERVING');
    await expect(checkHealth(health, '')).resolves.toBe('NOT_SERVING');
    health.close();

    await gateway.waitForLog((line) => String(line.message).startsWith('Listeners closed'));
    expect(await refusedOrAnswered(`${http}/monitoring/healthz`)).toBe('ECONNREFUSED');

    // The grace period ends with both still running: the workflow gets UNAVAILABLE (retried by Workhorse),
    // not CANCELLED, and the HTTP stream is closed.
    expect(await workflow.status).toMatchObject({ code: GrpcStatus.UNAVAILABLE, details: CUT_DETAILS });
    await expect(reader.read()).rejects.toThrow();
    expect(await gateway.exited).toBe(0);
    expect(gateway.logs.map((line) => line.message)).toEqual(
      expect.arrayContaining(['Grace period over: cutting remaining workflows and streams', 'Stopped']),
    );
  }, 60_000);
});
