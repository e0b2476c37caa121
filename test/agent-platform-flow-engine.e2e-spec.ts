import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeGitLab } from './fakes/gitlab-executor';
import { scriptByComponent, toolCall } from './helpers/flow-trace';
import { toStruct } from './helpers/proto-struct';
import { chatLog, checkpointsOf, useWorkflowHarness } from './helpers/workflow-client';

const prompt = (id: string, system: string, user?: string) => ({
  prompt_id: id,
  prompt_template: user ? { system, user } : { system },
});
const flowOf = (fields: object) => ({ version: 'v1', environment: 'ambient', ...fields });

describe('DuoWorkflow flow engine: supervisors, one-off rounds, routers, limits', () => {
  const harness = useWorkflowHarness();

  async function run(config: object, goal = 'go') {
    const gitlab = new FakeGitLab();
    const { stream } = harness.open(gitlab);
    stream.send({
      startRequest: { workflowID: '42', goal, flowConfig: toStruct(config as any), flowConfigSchemaVersion: 'v1' },
    });
    return { stream, gitlab, status: await stream.status };
  }

  it('runs a supervisor that delegates to a sub-agent in a numbered sub-session', async () => {
    const script = scriptByComponent(
      { boss: 'You lead.', researcher: 'You research.' },
      {
        boss: [
          {
            toolCalls: [toolCall('d1', 'delegate_task', { subagent_name: 'researcher', prompt: 'Find the version' })],
          },
          { text: 'Version 2.' },
        ],
        researcher: [{ text: 'It is 2.' }],
      },
    );
    harness.model.script(script.reply);
    const { stream, status } = await run(
      flowOf({
        components: [
          {
            name: 'boss',
            type: 'AgentComponent',
            prompt_id: 'boss',
            inputs: [],
            toolset: [],
            subagents: [{ name: 'researcher' }],
          },
          {
            name: 'researcher',
            type: 'AgentComponent',
            prompt_id: 'researcher',
            inputs: [],
            toolset: ['read_file'],
            description: 'Looks things up',
          },
        ],
        routers: [{ from: 'boss', to: 'end' }],
        flow: { entry_point: 'boss' },
        prompts: [prompt('boss', 'You lead.'), prompt('researcher', 'You research.')],
      }),
    );
    expect(status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(script.seen.researcher[0].body.messages.slice(1)).toEqual([{ role: 'user', content: 'Find the version' }]);
    const boss = script.seen.boss;
    expect(
      boss[0].body.tools.find((tool: any) => tool.function.name === 'delegate_task').function.parameters.properties
        .subagent_name.enum,
    ).toEqual(['researcher']);
    expect(boss[1].body.messages.at(-1)).toEqual({
      role: 'tool',
      content: 'It is 2.\n\n(subsession_id: 1)',
      tool_call_id: 'd1',
    });
    expect(checkpointsOf(stream).at(-1).status).toBe('FINISHED');
  });

  it('gives a one-off component a correction round after a failed tool call', async () => {
    writeFileSync(join(harness.workdir, 'real.txt'), 'content');
    const script = scriptByComponent(
      { fetch: 'You fetch files.' },
      {
        fetch: [
          { toolCalls: [toolCall('r1', 'read_file', { file_path: 'missing.txt' })] },
          { toolCalls: [toolCall('r2', 'read_file', { file_path: 'real.txt' })] },
        ],
      },
    );
    harness.model.script(script.reply);
    const { gitlab, status } = await run(
      flowOf({
        components: [
          {
            name: 'fetch',
            type: 'OneOffComponent',
            prompt_id: 'fetch',
            inputs: [],
            toolset: ['read_file'],
            ui_log_events: ['on_tool_call_input', 'on_tool_execution_success', 'on_tool_execution_failed'],
          },
        ],
        routers: [{ from: 'fetch', to: 'end' }],
        flow: { entry_point: 'fetch' },
        prompts: [prompt('fetch', 'You fetch files.')],
      }),
    );
    expect(status.code).toBe(GrpcStatus.OK);
    const context = gitlab.checkpoints.at(-1).checkpoint.channel_values.flow.context.fetch;
    expect(context.execution_result).toBe('success');
    expect(context.tool_calls).toEqual([
      { name: 'read_file', args: { file_path: 'missing.txt' } },
      { name: 'read_file', args: { file_path: 'real.txt' } },
    ]);
    expect(context.tool_responses[1]).toBe('content');
    expect(script.seen.fetch[1].body.messages.at(-1).content).toMatch(/^Some tool calls failed/);
    const log = gitlab.checkpoints.at(-1).checkpoint.channel_values.ui_chat_log;
    expect(log.filter((entry: any) => entry.tool_info).map((entry: any) => [entry.message_id, entry.status])).toEqual([
      ['r1', 'failure'],
      ['r2', 'success'],
    ]);
  });

  it('ends a flow routed to abort as a failure: FAILED, drop, INTERNAL', async () => {
    const { stream, gitlab, status } = await run(
      flowOf({
        components: [
          {
            name: 'read',
            type: 'DeterministicStepComponent',
            tool_name: 'read_file',
            inputs: [{ from: 'context:goal', as: 'file_path' }],
          },
        ],
        routers: [
          {
            from: 'read',
            condition: { input: 'context:read.execution_result', routes: { success: 'end', failed: 'abort' } },
          },
        ],
        flow: { entry_point: 'read' },
      }),
      'no-such-file.txt',
    );
    expect(status).toMatchObject({
      code: GrpcStatus.INTERNAL,
      details: "workflow execution failure: FlowAborted: The flow was aborted after component 'read'",
    });
    expect(gitlab.statusEvents).toEqual(['start', 'drop']);
    expect(checkpointsOf(stream).at(-1).status).toBe('FAILED');
    expect(chatLog(checkpointsOf(stream).at(-1)).at(-1)).toMatchObject({ message_type: 'agent', status: 'failure' });
  });

  it('stops a flow that loops forever at 600 graph steps (§6.3)', async () => {
    writeFileSync(join(harness.workdir, 'a.txt'), 'a');
    const { gitlab, status } = await run(
      flowOf({
        components: [
          {
            name: 'read',
            type: 'DeterministicStepComponent',
            tool_name: 'read_file',
            inputs: [{ from: 'context:goal', as: 'file_path' }],
          },
        ],
        routers: [{ from: 'read', to: 'read' }],
        flow: { entry_point: 'read' },
      }),
      'a.txt',
    );
    expect(status).toMatchObject({
      code: GrpcStatus.INTERNAL,
      details:
        'workflow execution failure: GraphRecursionError: Recursion limit of 600 reached without hitting a stop condition',
    });
    expect(gitlab.statusEvents).toEqual(['start', 'drop']);
  });

  it('refuses an inline flow whose prompt template would run code on the gateway', async () => {
    const payload = '{{ range.constructor("return process.exit(7)")() }}';
    const { status } = await run(
      flowOf({
        components: [{ name: 'a', type: 'AgentComponent', prompt_id: 'p', inputs: [], toolset: [] }],
        routers: [{ from: 'a', to: 'end' }],
        flow: { entry_point: 'a' },
        prompts: [prompt('p', payload)],
      }),
    );
    expect(status).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details:
        "Failed to create flow from FlowConfig protobuf: prompts.0.prompt_template: Value error, 'FunCall' is not allowed in a flow's prompts: they may only read and format data",
    });
  });

  it('tells an agent to wrap up after max_cycles and fails it when it does not', async () => {
    writeFileSync(join(harness.workdir, 'a.txt'), 'a');
    const script = scriptByComponent(
      { looper: 'You loop.' },
      { looper: [{ toolCalls: [toolCall('r', 'read_file', { file_path: 'a.txt' })] }] },
    );
    harness.model.script(script.reply);
    const { status } = await run(
      flowOf({
        components: [
          {
            name: 'looper',
            type: 'AgentComponent',
            prompt_id: 'looper',
            inputs: [],
            toolset: ['read_file'],
            max_cycles: 2,
          },
        ],
        routers: [{ from: 'looper', to: 'end' }],
        flow: { entry_point: 'looper' },
        prompts: [prompt('looper', 'You loop.')],
      }),
    );
    expect(status).toMatchObject({
      code: GrpcStatus.INTERNAL,
      details: "workflow execution failure: Error: Agent 'looper' did not finish within max_cycles (2)",
    });
    expect(script.seen.looper).toHaveLength(5);
    expect(script.seen.looper[2].body.messages.at(-1)).toEqual({
      role: 'user',
      content:
        'You have reached the maximum number of steps for this task. Do not call any more tools: give your final answer now.',
    });
  });
});
