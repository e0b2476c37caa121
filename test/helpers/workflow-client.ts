import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutorOptions, FakeExecutor, FakeGitLab } from '../fakes/gitlab-executor';
import { OpenAiFake, startOpenAiFake } from '../fakes/openai-compatible.server';
import { startGateway, TestGateway } from './gateway';
import { workflowMetadata, WorkflowStream } from './workflow-stream';

/** A gateway with auth off, the stand-in model and a work directory per test; registers its Jest hooks. */
export function useWorkflowHarness(env: Record<string, string> = {}) {
  const harness = {
    gateway: undefined as unknown as TestGateway,
    model: undefined as unknown as OpenAiFake,
    workdir: '',
    /** A call with the executor answering against `gitlab` and the work directory. */
    open(gitlab: FakeGitLab, options: ExecutorOptions = {}, extra: Record<string, string> = {}) {
      const metadata = workflowMetadata({
        modelMetadata: {
          provider: 'custom_openai',
          name: 'fake-model',
          endpoint: harness.model.url,
          api_key: 'sk-secret',
        },
        extra,
      });
      const stream = new WorkflowStream(harness.gateway.grpcAddress, metadata);
      return { stream, executor: new FakeExecutor(stream, gitlab, harness.workdir, options) };
    },
    startChat(stream: WorkflowStream, goal: string, extra: object = {}) {
      stream.send({
        startRequest: { workflowID: '42', goal, workflowDefinition: 'chat', clientCapabilities: [], ...extra },
      });
    },
  };
  beforeAll(async () => {
    harness.model = await startOpenAiFake();
    harness.gateway = await startGateway({ DUO_WORKFLOW_AUTH__ENABLED: 'false', ...env });
  });
  afterAll(async () => {
    await harness.gateway.close();
    await harness.model.close();
  });
  beforeEach(() => {
    harness.workdir = mkdtempSync(join(tmpdir(), 'workflow-'));
    writeFileSync(join(harness.workdir, 'README.md'), 'Hello from the README');
  });
  return harness;
}

export const checkpointsOf = (stream: WorkflowStream) =>
  stream.actions.filter((action) => action.action === 'newCheckpoint').map((action) => action.newCheckpoint);
export const chatLog = (checkpoint: { checkpoint: string }) =>
  JSON.parse(checkpoint.checkpoint).channel_values.ui_chat_log;
