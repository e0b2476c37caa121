import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeGitLab } from './fakes/gitlab-executor';
import { useWorkflowHarness } from './helpers/workflow-client';

const QUOTA = /^Limit of 1 requests per minute per user reached; retry in \d+ s\. Error code: USAGE_QUOTA_EXCEEDED$/;

/** Agent Platform limits: checked at workflow start and at each model call (agent-platform.md §4.4). */
describe('DuoWorkflow ExecuteWorkflow over a limit', () => {
  const harness = useWorkflowHarness({ AIGW_LIMITS__PER_USER__REQUESTS_PER_MINUTE: '1' });
  const { open, startChat } = harness;

  it('ends RESOURCE_EXHAUSTED with USAGE_QUOTA_EXCEEDED at the model call over the limit, then at the next start', async () => {
    harness.model.script(
      { toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"file_path":"README.md"}' }] },
      { text: 'never sent' },
    );
    const seen = harness.model.requests.length;
    const first = open(new FakeGitLab(), {}, { 'x-gitlab-global-user-id': 'wf-user' }).stream;
    startChat(first, 'What does the README say?');
    const status = await first.status;
    expect(status.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(status.details).toMatch(QUOTA);
    // The first model call ran (and asked for the file); the second was refused before it was sent.
    expect(first.actions.some((action) => action.action === 'runReadFile')).toBe(true);
    expect(harness.model.requests).toHaveLength(seen + 1);

    const second = open(new FakeGitLab(), {}, { 'x-gitlab-global-user-id': 'wf-user' }).stream;
    startChat(second, 'Again?');
    const refused = await second.status;
    expect(refused.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(refused.details).toMatch(QUOTA);
    expect(second.actions).toEqual([]);
    expect(harness.model.requests).toHaveLength(seen + 1);
  });

  it('runs workflows of other users meanwhile', async () => {
    harness.model.script({ text: 'Hi!' });
    const { stream } = open(new FakeGitLab(), {}, { 'x-gitlab-global-user-id': 'wf-other' });
    startChat(stream, 'Hello');
    expect(await stream.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
  });
});
