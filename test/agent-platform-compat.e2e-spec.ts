import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeExecutor, FakeGitLab } from './fakes/gitlab-executor';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { workflowMetadata, WorkflowStream } from './helpers/workflow-stream';

const sse = (event: unknown) => `data: ${JSON.stringify(event)}\n\n`;

/** gitlab-versions.md §9 and agent-platform.md §4.2 against the booted app and a stand-in model. */
describe('DuoWorkflow ExecuteWorkflow: GitLab 18.x model metadata and oversized model events', () => {
  let gateway: TestGateway;
  let older: OpenAiFake;
  let newer: OpenAiFake;

  beforeAll(async () => {
    [older, newer] = await Promise.all([startOpenAiFake(), startOpenAiFake()]);
    gateway = await startGateway({ DUO_WORKFLOW_AUTH__ENABLED: 'false' });
  });
  afterAll(() => Promise.all([gateway.close(), older.close(), newer.close()]));

  const metadataFor = (model: OpenAiFake, name: string) =>
    JSON.stringify({ provider: 'custom_openai', name, endpoint: model.url, api_key: 'sk-secret' });

  function chat(extra: Record<string, string>): WorkflowStream {
    const stream = new WorkflowStream(gateway.grpcAddress, workflowMetadata({ extra }));
    new FakeExecutor(stream, new FakeGitLab(), mkdtempSync(join(tmpdir(), 'workflow-')));
    stream.send({ startRequest: { workflowID: '42', goal: 'hi', workflowDefinition: 'chat', clientCapabilities: [] } });
    return stream;
  }

  it('takes the model from x-gitlab-self-hosted-models-metadata, the name early 18.x clients send (§9)', async () => {
    older.script({ text: 'from the older header' });
    const before = older.requests.length;
    const stream = chat({ 'x-gitlab-self-hosted-models-metadata': metadataFor(older, 'early-18') });
    expect(await stream.status).toMatchObject({ code: GrpcStatus.OK });
    expect(older.requests.length).toBeGreaterThan(before);
    expect(older.requests.at(-1)!.body.model).toBe('early-18');
  });

  it('prefers x-gitlab-agent-platform-model-metadata when both names are sent (§9)', async () => {
    older.script({ text: 'wrong' });
    newer.script({ text: 'right' });
    const [olderBefore, newerBefore] = [older.requests.length, newer.requests.length];
    const stream = chat({
      'x-gitlab-self-hosted-models-metadata': metadataFor(older, 'early-18'),
      'x-gitlab-agent-platform-model-metadata': metadataFor(newer, 'current'),
    });
    expect(await stream.status).toMatchObject({ code: GrpcStatus.OK });
    expect(older.requests).toHaveLength(olderBefore);
    expect(newer.requests.length).toBeGreaterThan(newerBefore);
    expect(newer.requests.at(-1)!.body.model).toBe('current');
  });

  it('ends RESOURCE_EXHAUSTED "Outgoing message too large." when a tool call arrives as one SSE line over 4 MiB (agent-platform.md §4.2)', async () => {
    const contents = 'x'.repeat(4 * 1024 * 1024 + 1024);
    const call = { id: 'call_w', type: 'function', function: { name: 'create_file_with_contents', arguments: '' } };
    const oneLine = JSON.stringify({ file_path: 'big.txt', contents });
    newer.script({
      rawBody: [
        sse({ choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, ...call }] } }] }),
        sse({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: oneLine } }] } }] }),
        sse({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }),
        'data: [DONE]\n\n',
      ],
    });
    const stream = chat({ 'x-gitlab-agent-platform-model-metadata': metadataFor(newer, 'current') });
    expect(await stream.status).toMatchObject({
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      details: 'Outgoing message too large.',
    });
    expect(stream.actions.some((action) => action.action === 'runWriteFile')).toBe(false);
  });
});
