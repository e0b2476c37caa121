import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeGitLab } from './fakes/gitlab-executor';
import { chatLog, checkpointsOf, useWorkflowHarness } from './helpers/workflow-client';

/** Human in the loop (§6.3) and MCP tools (§6.4): §9 checks 19, 20, 24, 25. */
describe('DuoWorkflow ExecuteWorkflow: approvals and MCP tools', () => {
  const harness = useWorkflowHarness();
  const { open, startChat } = harness;

  it('asks for approval, then runs the approved command on the next call (§9.19, §9.24)', async () => {
    harness.model.script(
      { toolCalls: [{ id: 'call_run', name: 'run_command', arguments: '{"program":"echo","args":"approved run"}' }] },
      { text: 'ran it' },
    );
    const gitlab = new FakeGitLab();
    const first = open(gitlab).stream;
    startChat(first, 'run echo');
    expect(await first.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(first.actions.some((action) => action.action === 'runCommand')).toBe(false);
    const paused = checkpointsOf(first).at(-1);
    expect(paused.status).toBe('TOOL_CALL_APPROVAL_REQUIRED');
    expect(chatLog(paused).at(-1)).toMatchObject({
      message_type: 'request',
      message_id: 'call_run',
      tool_info: { name: 'run_command' },
    });
    expect(gitlab.statusEvents).toEqual(['start', 'require_tool_call_approval']);
    const approvalQuery = gitlab.requests.find((request) => request.body?.query?.includes('toolCallApproved'));
    expect(approvalQuery?.body.variables).toMatchObject({
      toolName: 'run_command',
      toolCallArgs: '{"args":"approved run","program":"echo"}',
    });

    const second = open(gitlab).stream;
    startChat(second, '', { approval: { approval: {} } });
    expect((await second.status).details).toBe('workflow execution success');
    expect(second.actions.find((action) => action.action === 'runCommand')?.runCommand).toMatchObject({
      program: 'echo',
      arguments: ['approved', 'run'],
    });
    expect(gitlab.statusEvents).toEqual(['start', 'require_tool_call_approval', 'resume', 'finish']);
    const userEntries = chatLog(checkpointsOf(second).at(-1)).filter((entry: any) => entry.message_type === 'user');
    expect(userEntries).toHaveLength(1);
    expect(harness.model.requests.at(-1)!.body.messages.at(-1)).toMatchObject({
      role: 'tool',
      tool_call_id: 'call_run',
      content: 'approved run\n',
    });
  });

  it('tells the model about a rejection instead of running the tool (§9.19)', async () => {
    harness.model.script(
      { toolCalls: [{ id: 'call_run', name: 'run_command', arguments: '{"program":"rm","args":"-rf x"}' }] },
      { text: 'understood' },
    );
    const gitlab = new FakeGitLab();
    const first = open(gitlab).stream;
    startChat(first, 'clean up');
    await first.status;
    const second = open(gitlab).stream;
    startChat(second, '', { approval: { rejection: { message: 'do not delete anything' } } });
    expect((await second.status).code).toBe(GrpcStatus.OK);
    expect(second.actions.some((action) => action.action === 'runCommand')).toBe(false);
    const messages = harness.model.requests.at(-1)!.body.messages;
    expect(messages.at(-2)).toMatchObject({
      role: 'tool',
      tool_call_id: 'call_run',
      content: 'Tool call rejected by the user.',
    });
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'do not delete anything' });
  });

  it('runs tools named in preapproved_tools without an approval round (§9.20)', async () => {
    harness.model.script(
      { toolCalls: [{ id: 'call_run', name: 'run_command', arguments: '{"program":"echo","args":"hi"}' }] },
      { text: 'ok' },
    );
    const gitlab = new FakeGitLab();
    const { stream } = open(gitlab);
    startChat(stream, 'run', { preapproved_tools: ['run_command'] });
    expect((await stream.status).details).toBe('workflow execution success');
    expect(stream.actions.some((action) => action.action === 'runCommand')).toBe(true);
    expect(gitlab.requests.some((request) => request.body?.query?.includes('toolCallApproved'))).toBe(false);
  });

  it('offers MCP tools by sanitised name and calls them by their original name (§9.25)', async () => {
    const mcpTool = {
      name: 'my.tool',
      description: 'Does things',
      inputSchema: '{"type":"object","properties":{"q":{"type":"string"}}}',
    };
    harness.model.script({ toolCalls: [{ id: 'call_m', name: 'my_tool', arguments: '{"q":"x"}' }] }, { text: 'ok' });
    const gitlab = new FakeGitLab();
    const { stream } = open(gitlab, { mcp: (name, args) => `${name} got ${args.q}` });
    const before = harness.model.requests.length;
    startChat(stream, 'use mcp', { mcpTools: [mcpTool], preapproved_tools: ['my.tool'] });
    expect((await stream.status).code).toBe(GrpcStatus.OK);
    const offered = harness.model.requests[before].body.tools.find((tool: any) => tool.function.name === 'my_tool');
    expect(offered.function.description).toMatch(/^WARNING: this tool comes from an untrusted source/);
    expect(stream.actions.find((action) => action.action === 'runMCPTool')?.runMCPTool).toEqual({
      name: 'my.tool',
      args: '{"q":"x"}',
    });

    gitlab.node = { mcpEnabled: false };
    harness.model.script({ text: 'ok' });
    const disabled = open(gitlab).stream;
    const index = harness.model.requests.length;
    startChat(disabled, 'again', { mcpTools: [mcpTool] });
    await disabled.status;
    expect(
      harness.model.requests[index].body.tools?.some((tool: any) => tool.function.name === 'my_tool') ?? false,
    ).toBe(false);
  });
});
