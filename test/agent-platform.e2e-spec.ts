import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeGitLab } from './fakes/gitlab-executor';
import { chatLog, checkpointsOf, useWorkflowHarness } from './helpers/workflow-client';
import { ReceivedAction } from './helpers/workflow-stream';

const httpOf = (action: ReceivedAction) => `${action.runHTTPRequest.method} ${action.runHTTPRequest.path}`;

describe('DuoWorkflow ExecuteWorkflow: chat', () => {
  const harness = useWorkflowHarness();
  const { open, startChat } = harness;

  it('runs a chat that reads a file and answers (§4.6)', async () => {
    harness.model.script(
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
    expect(JSON.parse(stream.actions[0].runHTTPRequest.body).variables.workflowId).toBe(
      'gid://gitlab/Ai::DuoWorkflows::Workflow/42',
    );
    expect(httpOf(stream.actions[1])).toBe('PATCH /api/v4/ai/duo_workflows/workflows/42');
    expect(gitlab.statusEvents).toEqual(['start', 'finish']);
    const last = checkpointsOf(stream).at(-1);
    expect(last.status).toBe('FINISHED');
    const log = chatLog(last);
    expect(log[0]).toMatchObject({ message_type: 'user', content: 'What does the README say?' });
    expect(log.at(-1)).toMatchObject({ message_type: 'agent', content: 'The README says hello.' });
    expect(gitlab.checkpoints.length).toBeGreaterThan(0);
    const secondRequest = harness.model.requests.at(-1)!.body;
    expect(secondRequest.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: 'Hello from the README',
      tool_call_id: 'call_1',
    });
    expect(JSON.stringify(gitlab.checkpoints)).not.toContain('sk-secret');
  });

  it('gives every action a unique request id and never waits for newCheckpoint answers (§4.2)', async () => {
    harness.model.script({ text: 'Hi!' });
    const { stream } = open(new FakeGitLab());
    startChat(stream, 'hi');
    expect((await stream.status).code).toBe(GrpcStatus.OK);
    const ids = stream.actions.map((action) => action.requestID);
    expect(ids.every((id) => id !== '')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ends OK with no actions on an immediate half-close or a heartbeat first (§4.1)', async () => {
    const closed = open(new FakeGitLab()).stream;
    closed.end();
    expect(await closed.status).toMatchObject({ code: GrpcStatus.OK });
    expect(closed.actions).toEqual([]);

    const heartbeat = open(new FakeGitLab()).stream;
    heartbeat.send({ heartbeat: { timestamp: Date.now() } });
    expect((await heartbeat.status).code).toBe(GrpcStatus.OK);
    expect(heartbeat.actions).toEqual([]);
  });

  it.each([
    [
      { flowConfigId: 'f', flowConfig: { fields: {} } },
      'flowConfigId and flowConfig are mutually exclusive — set one or the other, not both.',
    ],
    [{ flowConfigId: 'f', flowVersion: '1.0.0' }, 'flowConfigId requires flowConfigSchemaVersion to also be provided.'],
    [{ flowConfigId: 'f', flowConfigSchemaVersion: 'v1' }, 'flowConfigId requires flowVersion to also be provided.'],
    [
      { flowConfigId: 'f', flowConfigSchemaVersion: 'v2', flowVersion: '1' },
      "Invalid flowConfigSchemaVersion: 'v2'. Must be one of: experimental, v1.",
    ],
    [{ flowVersion: '1.0.0' }, 'flowVersion requires flowConfigId to also be provided.'],
    [{ workflowDefinition: 'no_such_flow/v1' }, 'Unknown flow: no_such_flow/v1 (version 1.0.0 not found)'],
    [
      { workflowDefinition: 'developer/experimental' },
      'Unknown flow: developer/experimental (version 1.0.0 not found)',
    ],
    [
      { flowConfigId: 'developer', flowConfigSchemaVersion: 'v1', flowVersion: '^2.0.0' },
      'Unknown flow: developer/v1 (version ^2.0.0 not found)',
    ],
    [
      { workflowDefinition: 'developer' },
      "Unknown workflow definition: 'developer'. Expected one of software_development, convert_to_gitlab_ci, chat, issue_to_merge_request or <flow>/<v1|experimental>.",
    ],
  ])('refuses the flow fields %j with INVALID_ARGUMENT (§4.1)', async (fields, message) => {
    const { stream } = open(new FakeGitLab());
    stream.send({ startRequest: { workflowID: '42', goal: 'x', ...fields } });
    expect(await stream.status).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: message });
    expect(stream.actions).toEqual([]);
  });

  it('routes parallel answers given in reverse order to their own tool calls (§9.15)', async () => {
    writeFileSync(join(harness.workdir, 'a.txt'), 'content A');
    writeFileSync(join(harness.workdir, 'b.txt'), 'content B');
    harness.model.script(
      {
        toolCalls: [
          { id: 'call_a', name: 'read_file', arguments: '{"file_path":"a.txt"}' },
          { id: 'call_b', name: 'read_file', arguments: '{"file_path":"b.txt"}' },
        ],
      },
      { text: 'done' },
    );
    const { stream, executor } = open(new FakeGitLab(), { hold: (action) => action.action === 'runReadFile' });
    startChat(stream, 'read both');
    await stream.waitFor((action) => action.runReadFile?.filepath === 'b.txt');
    const [first, second] = stream.actions.filter((action) => action.action === 'runReadFile');
    executor.answer({ requestID: 'not-a-pending-id' } as ReceivedAction, {
      plainTextResponse: { response: 'stray', error: '' },
    });
    executor.answer(second, { plainTextResponse: { response: 'content B', error: '' } });
    executor.answer(first, { plainTextResponse: { response: 'content A', error: '' } });
    expect((await stream.status).details).toBe('workflow execution success');
    const tools = harness.model.requests.at(-1)!.body.messages.filter((message: any) => message.role === 'tool');
    expect(tools).toEqual([
      { role: 'tool', tool_call_id: 'call_a', content: 'content A' },
      { role: 'tool', tool_call_id: 'call_b', content: 'content B' },
    ]);
  });

  it('matches an answer with an empty request id by the legacy rule, field 2 included (§4.3, §8)', async () => {
    harness.model.script(
      { toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"file_path":"README.md"}' }] },
      { text: 'ok' },
    );
    const { stream } = open(new FakeGitLab(), { hold: (action) => action.action === 'runReadFile' });
    startChat(stream, 'read it');
    await stream.waitFor((action) => action.action === 'runReadFile');
    stream.send({ heartbeat: { timestamp: Date.now() } });
    stream.send({ actionResponse: { requestID: '', response: 'legacy body' } });
    expect((await stream.status).code).toBe(GrpcStatus.OK);
    expect(harness.model.requests.at(-1)!.body.messages.at(-1)).toMatchObject({ role: 'tool', content: 'legacy body' });
  });

  it('gives the model an action error as the tool result and goes on (§9.18)', async () => {
    harness.model.script(
      { toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"file_path":"missing.txt"}' }] },
      { text: 'no such file' },
    );
    const { stream } = open(new FakeGitLab());
    startChat(stream, 'read missing');
    expect((await stream.status).details).toBe('workflow execution success');
    const result = harness.model.requests.at(-1)!.body.messages.at(-1);
    expect(result.role).toBe('tool');
    expect(result.content).toMatch(/^Error: Action error: ENOENT/);
  });

  it.each([
    ['WORKHORSE_WEBSOCKET_CLOSE_1000', GrpcStatus.OK, 'workflow execution stopped', ['start', 'stop']],
    ['WORKHORSE_SERVER_SHUTDOWN', GrpcStatus.UNAVAILABLE, 'workflow execution interrupted: RUNNING', ['start']],
    ['WORKHORSE_WEBSOCKET_PING_FAILED', GrpcStatus.OK, 'workflow execution stopped', ['start']],
  ])('stops mid-model-call on stopWorkflow %s (§9.21)', async (reason, code, details, events) => {
    let release!: () => void;
    harness.model.script({ hold: new Promise<void>((resolve) => (release = resolve)), text: 'late' });
    const gitlab = new FakeGitLab();
    const { stream } = open(gitlab);
    const before = harness.model.requests.length;
    startChat(stream, 'think long');
    const [request] = (await harness.model.waitForRequests(before + 1)).slice(before);
    stream.send({ stopWorkflow: { reason } });
    expect(await stream.status).toMatchObject({ code, details });
    expect(await request.closed).toBe('aborted');
    release();
    expect(gitlab.statusEvents).toEqual(events);
    if (reason === 'WORKHORSE_WEBSOCKET_CLOSE_1000') expect(checkpointsOf(stream).at(-1).status).toBe('STOPPED');
  });

  it('aborts the model call when the client cancels (§4.4)', async () => {
    harness.model.script({ stall: true });
    const { stream } = open(new FakeGitLab());
    const before = harness.model.requests.length;
    startChat(stream, 'wait');
    const [request] = (await harness.model.waitForRequests(before + 1)).slice(before);
    stream.cancel();
    expect((await stream.status).code).toBe(GrpcStatus.CANCELLED);
    expect(await request.closed).toBe('aborted');
  });

  it('refuses an action over 4 MiB with RESOURCE_EXHAUSTED (§9.22)', async () => {
    const contents = 'x'.repeat(5 * 1024 * 1024);
    harness.model.script({
      toolCalls: [
        {
          id: 'call_w',
          name: 'create_file_with_contents',
          arguments: JSON.stringify({ file_path: 'big.txt', contents }),
        },
      ],
    });
    const { stream } = open(new FakeGitLab());
    startChat(stream, 'write a big file');
    expect(await stream.status).toMatchObject({
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      details: 'Outgoing message too large.',
    });
    expect(stream.actions.some((action) => action.action === 'runWriteFile')).toBe(false);
  });

  it('ends RESOURCE_EXHAUSTED, without crashing, when streamed text makes the throttled checkpoint over 4 MiB (§4.2)', async () => {
    // The long chunk's checkpoint just fits and goes out; the short one follows within 50 ms, so its checkpoint
    // waits for the throttle timer. The stream then stays open.
    const chunks = ['Hi', 'x'.repeat(4 * 1024 * 1024 - 64 * 1024), 'y'.repeat(128 * 1024)];
    harness.model.script({ chunks, stallAfterChunks: 1 + chunks.length });
    const { stream } = open(new FakeGitLab());
    const before = harness.model.requests.length;
    startChat(stream, 'write a long answer');
    const [request] = (await harness.model.waitForRequests(before + 1)).slice(before);
    expect(await stream.status).toMatchObject({
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      details: 'Outgoing message too large.',
    });
    expect(await request.closed).toBe('aborted');
  });

  it('refuses a client event over 4 MiB in the transport (§9.22)', async () => {
    const { stream } = open(new FakeGitLab());
    stream.send({ startRequest: { workflowID: '42', goal: 'x'.repeat(5 * 1024 * 1024), workflowDefinition: 'chat' } });
    expect((await stream.status).code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  });

  it('answers PERMISSION_DENIED when GitLab forbids the start, INVALID_ARGUMENT for an unknown workflow (§9.23)', async () => {
    const forbidden = new FakeGitLab();
    forbidden.patchStatusCode = () => 403;
    const first = open(forbidden).stream;
    startChat(first, 'hi');
    expect(await first.status).toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      details: "workflow execution didn't start due to forbidden response",
    });

    const missing = new FakeGitLab();
    missing.exists = false;
    const second = open(missing).stream;
    startChat(second, 'hi');
    const status = await second.status;
    expect(status.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(status.details).toMatch(/^Invalid workflow ID/);
  });

  it('fails a workflow that is created but already has a checkpoint (§9.24)', async () => {
    const gitlab = new FakeGitLab();
    gitlab.checkpoints.push({ thread_ts: 'old', checkpoint: { id: 'old', channel_values: {} } });
    const { stream } = open(gitlab);
    startChat(stream, 'hi');
    const status = await stream.status;
    expect(status.code).toBe(GrpcStatus.INTERNAL);
    expect(status.details).toMatch(/^workflow execution failure: /);
  });
});
