import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectivityState,
  credentials,
  GrpcObject,
  loadPackageDefinition,
  ServiceClientConstructor,
  status as GrpcStatus,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { FakeExecutor, FakeGitLab } from './fakes/gitlab-executor';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { workflowMetadata, WorkflowStream } from './helpers/workflow-stream';

describe('DuoWorkflow stream lifecycle: duration limit, drain, keepalive', () => {
  let model: OpenAiFake;

  beforeAll(async () => {
    model = await startOpenAiFake();
  });
  afterAll(() => model.close());

  function chat(gateway: TestGateway, gitlab = new FakeGitLab()): WorkflowStream {
    const metadata = workflowMetadata({ modelMetadata: { provider: 'custom_openai', name: 'm', endpoint: model.url } });
    const stream = new WorkflowStream(gateway.grpcAddress, metadata);
    new FakeExecutor(stream, gitlab, mkdtempSync(join(tmpdir(), 'workflow-')));
    stream.send({ startRequest: { workflowID: '42', goal: 'hi', workflowDefinition: 'chat' } });
    return stream;
  }

  it('interrupts a stream at the duration limit without writing stop (resumable)', async () => {
    const gateway = await startGateway({
      DUO_WORKFLOW_AUTH__ENABLED: 'false',
      AIGW_AGENT_PLATFORM__MAX_STREAM_DURATION_S: '1',
    });
    try {
      model.script({ stall: true });
      const gitlab = new FakeGitLab();
      const stream = chat(gateway, gitlab);
      expect(await stream.status).toMatchObject({
        code: GrpcStatus.UNAVAILABLE,
        details: 'workflow execution interrupted: RUNNING',
      });
      expect(gitlab.statusEvents).toEqual(['start']);
    } finally {
      await gateway.close();
    }
  });

  it('ends a call stopped and half-closed by a client that no longer answers, and frees its slot (issue 15)', async () => {
    const gateway = await startGateway({
      DUO_WORKFLOW_AUTH__ENABLED: 'false',
      AIGW_AGENT_PLATFORM__MAX_CONCURRENT_STREAMS: '1',
    });
    try {
      model.script({ stall: true });
      const before = model.requests.length;
      const metadata = workflowMetadata({
        modelMetadata: { provider: 'custom_openai', name: 'm', endpoint: model.url },
      });
      const stream = new WorkflowStream(gateway.grpcAddress, metadata);
      const gitlab = new FakeGitLab();
      // The stop's bookkeeping (checkpoint POST, PATCH stop) is never answered.
      const isBookkeeping = (action: any) =>
        action.action === 'runHTTPRequest' && gitlab.statusEvents.includes('start');
      new FakeExecutor(stream, gitlab, mkdtempSync(join(tmpdir(), 'workflow-')), { hold: isBookkeeping });
      stream.send({ startRequest: { workflowID: '42', goal: 'hi', workflowDefinition: 'chat' } });
      await model.waitForRequests(before + 1);
      stream.send({ stopWorkflow: { reason: 'WORKFLOW_STOPPED_BY_USER' } });
      await stream.waitFor(
        (action) =>
          action.action === 'runHTTPRequest' &&
          action.runHTTPRequest.method === 'POST' &&
          action.runHTTPRequest.path.includes('/checkpoints'),
      );
      stream.end();
      expect(await stream.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution stopped' });
      model.script({ text: 'hello again' });
      const next = chat(gateway);
      expect(await next.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    } finally {
      await gateway.close();
    }
  });

  it('lets an in-flight stream finish during the drain and refuses new ones', async () => {
    const gateway = await startGateway({ DUO_WORKFLOW_AUTH__ENABLED: 'false' });
    let release!: () => void;
    model.script({ hold: new Promise<void>((resolve) => (release = resolve)), text: 'finished in time' });
    const before = model.requests.length;
    const inFlight = chat(gateway);
    await model.waitForRequests(before + 1);
    const stopped = gateway.shutdown(30);
    const refused = chat(gateway);
    expect((await refused.status).code).toBe(GrpcStatus.UNAVAILABLE);
    release();
    expect(await inFlight.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    await stopped;
  });

  it('keeps a connection whose client pings every 10 s while idle for 60 s (§9.28)', async () => {
    const gateway = await startGateway({ DUO_WORKFLOW_AUTH__ENABLED: 'false' });
    const proto = loadPackageDefinition(
      loadSync(join(__dirname, '../proto/contract.proto'), { keepCase: true }),
    ) as GrpcObject;
    const client = new (proto.DuoWorkflow as ServiceClientConstructor)(
      gateway.grpcAddress,
      credentials.createInsecure(),
      {
        'grpc.keepalive_time_ms': 10_000,
        'grpc.keepalive_permit_without_calls': 1,
      },
    );
    try {
      const channel = client.getChannel();
      await new Promise<void>((resolve, reject) =>
        client.waitForReady(Date.now() + 5000, (error) => (error ? reject(error) : resolve())),
      );
      expect(channel.getConnectivityState(false)).toBe(connectivityState.READY);
      const changed = await new Promise<boolean>((resolve) =>
        channel.watchConnectivityState(connectivityState.READY, Date.now() + 60_000, (error) => resolve(!error)),
      );
      expect(changed).toBe(false);
    } finally {
      client.close();
      await gateway.close();
    }
  }, 90_000);
});
