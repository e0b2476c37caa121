import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeExecutor, FakeGitLab } from './fakes/gitlab-executor';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { ReceivedAction, workflowMetadata, WorkflowStream } from './helpers/workflow-client';

const checkpointsOf = (stream: WorkflowStream) =>
  stream.actions.filter((action) => action.action === 'newCheckpoint').map((action) => action.newCheckpoint);
const chatLog = (checkpoint: { checkpoint: string }) => JSON.parse(checkpoint.checkpoint).channel_values.ui_chat_log;
const httpOf = (action: ReceivedAction) => `${action.runHTTPRequest.method} ${action.runHTTPRequest.path}`;

describe('DuoWorkflow ExecuteWorkflow: chat', () => {
  let gateway: TestGateway;
  let model: OpenAiFake;
  let workdir: string;

  beforeAll(async () => {
    model = await startOpenAiFake();
    gateway = await startGateway({ DUO_WORKFLOW_AUTH__ENABLED: 'false' });
  });
  afterAll(async () => {
    await gateway.close();
    await model.close();
  });
  beforeEach(() => {
    workdir = mkdtempSync(join(tmpdir(), 'workflow-'));
    writeFileSync(join(workdir, 'README.md'), 'Hello from the README');
  });

  function open(gitlab: FakeGitLab, options: ConstructorParameters<typeof FakeExecutor>[3] = {}) {
    const metadata = workflowMetadata({
      modelMetadata: { provider: 'custom_openai', name: 'fake-model', endpoint: model.url, api_key: 'sk-secret' },
    });
    const stream = new WorkflowStream(gateway.grpcAddress, metadata);
    return { stream, executor: new FakeExecutor(stream, gitlab, workdir, options) };
  }

  const startChat = (stream: WorkflowStream, goal: string, extra: object = {}) =>
    stream.send({ startRequest: { workflowID: '42', goal, workflowDefinition: 'chat', clientCapabilities: [], ...extra } });

  it('runs a chat that reads a file and answers (§4.6)', async () => {
    model.script(
      { toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"file_path":"README.md"}' }] },
      { chunks: ['The README ', 'says hello.'] },
    );
    const gitlab = new FakeGitLab();
    const { stream } = open(gitlab);
    startChat(stream, 'What does the README say?');

    const status = await stream.status;
    expect(status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    const checkpointsPost = 'POST /api/v4/ai/duo_workflows/workflows/42/checkpoints?checkpoint_strategy=full';
    const sequence = stream.actions
      .filter((action) => action.action !== 'newCheckpoint')
      .map((action) => (action.action === 'runHTTPRequest' ? httpOf(action) : action.action));
    expect(sequence).toEqual([
      'POST /api/graphql',
      'PATCH /api/v4/ai/duo_workflows/workflows/42',
      checkpointsPost,
      'runReadFile',
      checkpointsPost,
      checkpointsPost,
      'PATCH /api/v4/ai/duo_workflows/workflows/42',
    ]);
    expect(httpOf(stream.actions[0])).toBe('POST /api/graphql');
    expect(JSON.parse(stream.actions[0].runHTTPRequest.body).variables.workflowId).toBe('gid://gitlab/Ai::DuoWorkflows::Workflow/42');
    expect(httpOf(stream.actions[1])).toBe('PATCH /api/v4/ai/duo_workflows/workflows/42');
    expect(gitlab.statusEvents).toEqual(['start', 'finish']);
    const last = checkpointsOf(stream).at(-1);
    expect(last.status).toBe('FINISHED');
    const log = chatLog(last);
    expect(log[0]).toMatchObject({ message_type: 'user', content: 'What does the README say?' });
    expect(log.at(-1)).toMatchObject({ message_type: 'agent', content: 'The README says hello.' });
    expect(gitlab.checkpoints.length).toBeGreaterThan(0);
    const secondRequest = model.requests.at(-1)!.body;
    expect(secondRequest.messages.at(-1)).toMatchObject({ role: 'tool', content: 'Hello from the README', tool_call_id: 'call_1' });
    expect(JSON.stringify(gitlab.checkpoints)).not.toContain('sk-secret');
  });
});
