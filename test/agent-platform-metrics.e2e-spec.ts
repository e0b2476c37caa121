import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeExecutor, FakeGitLab } from './fakes/gitlab-executor';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { workflowMetadata, WorkflowStream } from './helpers/workflow-stream';

/** `name{labels} value` lines of one family, as Prometheus text. */
async function samples(gateway: TestGateway, family: string): Promise<Record<string, number>> {
  const text = await (await fetch(gateway.metricsUrl)).text();
  const lines = text.split('\n').filter((line) => line.startsWith(family) && !line.startsWith('#'));
  return Object.fromEntries(
    lines.map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.split(' ').at(-1))]),
  );
}

/** Issue 14, "Agent Platform and gRPC metrics". */
describe('Agent Platform metrics', () => {
  let model: OpenAiFake;
  let gateway: TestGateway;

  beforeAll(async () => {
    model = await startOpenAiFake();
    gateway = await startGateway({ DUO_WORKFLOW_AUTH__ENABLED: 'false' });
  });
  afterAll(async () => {
    await gateway.close();
    await model.close();
  });

  function chat(): WorkflowStream {
    const metadata = workflowMetadata({ modelMetadata: { provider: 'custom_openai', name: 'm', endpoint: model.url } });
    const stream = new WorkflowStream(gateway.grpcAddress, metadata);
    new FakeExecutor(stream, new FakeGitLab(), mkdtempSync(join(tmpdir(), 'workflow-')));
    stream.send({ startRequest: { workflowID: '42', goal: 'hi', workflowDefinition: 'chat' } });
    return stream;
  }

  it('counts open streams, calls started and finished by status, actions by kind and durations', async () => {
    let release!: () => void;
    model.script({ hold: new Promise<void>((resolve) => (release = resolve)), text: 'done' });
    const seen = model.requests.length;
    const running = chat();
    await model.waitForRequests(seen + 1);
    expect(await samples(gateway, 'agent_platform_open_streams')).toEqual({ agent_platform_open_streams: 1 });

    release();
    expect((await running.status).code).toBe(GrpcStatus.OK);
    const cancelled = chat();
    await cancelled.waitFor(() => true);
    cancelled.cancel();
    await cancelled.status;
    await new Promise((resolve) => setImmediate(resolve));

    expect(await samples(gateway, 'agent_platform_open_streams')).toEqual({ agent_platform_open_streams: 0 });
    expect(await samples(gateway, 'agent_platform_workflows_started_total')).toEqual({
      agent_platform_workflows_started_total: 2,
    });
    expect(await samples(gateway, 'agent_platform_workflows_finished_total')).toEqual({
      'agent_platform_workflows_finished_total{code="OK"}': 1,
      'agent_platform_workflows_finished_total{code="CANCELLED"}': 1,
    });
    const actions = await samples(gateway, 'agent_platform_actions_sent_total');
    expect(actions['agent_platform_actions_sent_total{action="newCheckpoint"}']).toBeGreaterThanOrEqual(2);
    expect(await samples(gateway, 'agent_platform_stream_duration_seconds_count')).toEqual({
      'agent_platform_stream_duration_seconds_count{code="OK"}': 1,
      'agent_platform_stream_duration_seconds_count{code="CANCELLED"}': 1,
    });
    expect(await samples(gateway, 'agent_platform_approvals_pending')).toEqual({});
  });
});
