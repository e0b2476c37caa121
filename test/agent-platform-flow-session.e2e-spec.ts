import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, status as GrpcStatus } from '@grpc/grpc-js';
import { FakeGitLab } from './fakes/gitlab-executor';
import { scriptByComponent, traceOf } from './helpers/flow-trace';
import { duoWorkflowClient } from './helpers/grpc-clients';
import { fromStruct, toStruct, unary } from './helpers/proto-struct';
import { chatLog, checkpointsOf, useWorkflowHarness } from './helpers/workflow-client';

/** An inline flow: read a file without the model, then summarise it. */
const READ_AND_SUMMARISE = {
  version: 'v1',
  environment: 'ambient',
  components: [
    {
      name: 'read',
      type: 'DeterministicStepComponent',
      tool_name: 'read_file',
      inputs: [{ from: 'context:goal', as: 'file_path' }],
      ui_log_events: ['on_tool_execution_success', 'on_tool_execution_failed'],
    },
    {
      name: 'summarise',
      type: 'AgentComponent',
      prompt_id: 'summary',
      inputs: [{ from: 'context:read.tool_responses', as: 'text' }],
      toolset: ['read_file'],
      ui_log_events: ['on_agent_final_answer', 'on_tool_execution_success'],
    },
  ],
  routers: [
    { from: 'read', to: 'summarise' },
    { from: 'summarise', to: 'end' },
  ],
  flow: { entry_point: 'read' },
  prompts: [
    { prompt_id: 'summary', prompt_template: { system: 'You summarise files.', user: 'Summarise:\n{{ text }}' } },
  ],
};

/** An inline flow that asks the user to approve a plan before carrying it out. */
const PROPOSE_CONFIRM_APPLY = {
  version: 'v1',
  environment: 'ambient',
  components: [
    {
      name: 'propose',
      type: 'AgentComponent',
      prompt_id: 'propose',
      toolset: [],
      ui_log_events: ['on_agent_final_answer'],
    },
    {
      name: 'confirm',
      type: 'HumanInputComponent',
      sends_response_to: 'apply',
      message_template: 'Apply this plan? {{ plan }}',
      inputs: [{ from: 'context:propose.final_answer', as: 'plan' }],
    },
    {
      name: 'apply',
      type: 'AgentComponent',
      prompt_id: 'apply',
      inputs: [{ from: 'context:propose.final_answer', as: 'plan' }],
      toolset: [],
      ui_log_events: ['on_agent_final_answer'],
    },
  ],
  routers: [
    { from: 'propose', to: 'confirm' },
    {
      from: 'confirm',
      condition: {
        input: { from: 'context:confirm.approval', optional: true },
        routes: { reject: 'end', default_route: 'apply' },
      },
    },
    { from: 'apply', to: 'end' },
  ],
  flow: { entry_point: 'propose' },
  prompts: [
    { prompt_id: 'propose', prompt_template: { system: 'You propose plans.', user: '{{ goal }}' } },
    { prompt_id: 'apply', prompt_template: { system: 'You carry out plans.', user: 'The plan: {{ plan }}' } },
  ],
};

describe('DuoWorkflow registry and inline flows: listing, validation, resume, streaming, redaction', () => {
  const harness = useWorkflowHarness();
  let client: Client;
  beforeAll(() => (client = duoWorkflowClient(harness.gateway.grpcAddress)));
  afterAll(() => client.close());

  async function run(gitlab: FakeGitLab, startRequest: object, extra: Record<string, string> = {}) {
    const { stream } = harness.open(gitlab, {}, extra);
    stream.send({ startRequest: { workflowID: '42', clientCapabilities: [], ...startRequest } });
    return { stream, status: await stream.status };
  }

  it('lists the registry flows with AND-across, OR-within filters (§2, §6.1)', async () => {
    const list = async (filters?: object) =>
      (await unary(client, 'ListFlows', filters ? { filters } : {})).configs.map(fromStruct);
    const all = await list();
    expect(all.map((flow: any) => [flow.flow_identifier, flow.flow_version, flow.version, flow.environment])).toEqual([
      ['agentic_chat', '1.0.0', 'v1', 'chat'],
      ['code_review', '1.0.0', 'v1', 'ambient'],
      ['convert_to_gl_ci', '1.0.0', 'v1', 'ambient'],
      ['developer', '1.0.0', 'v1', 'ambient'],
      ['duo_planner', '1.0.0', 'v1', 'chat-partial'],
      ['fix_pipeline', '1.0.0', 'v1', 'ambient'],
      ['security_analyst_agent', '1.0.0', 'v1', 'chat-partial'],
    ]);
    expect(JSON.parse(all[3].config).components[0]).toMatchObject({ name: 'fetch_issue', tool_name: 'get_issue' });
    const ids = (flows: any[]) => flows.map((flow) => flow.flow_identifier);
    expect(ids(await list({ environment: ['chat-partial'] }))).toEqual(['duo_planner', 'security_analyst_agent']);
    expect(
      ids(await list({ flow_identifier: ['developer', 'code_review'], environment: ['ambient', 'chat'] })),
    ).toEqual(['code_review', 'developer']);
    expect(ids(await list({ flow_identifier: ['developer'], environment: ['chat'] }))).toEqual([]);
    expect(ids(await list({ version: ['experimental'] }))).toEqual([]);
    expect(ids(await list({ version: ['v1'], flow_identifier: ['fix_pipeline'] }))).toEqual(['fix_pipeline']);
  });

  it('validates flow configs over gRPC without failing the call (§2, §9.27)', async () => {
    const validate = (config?: object) =>
      unary(client, 'ValidateFlowConfig', config ? { flow_config: toStruct(config as any) } : {});
    expect(await validate(READ_AND_SUMMARISE)).toEqual({ valid: true, errors: [] });
    expect(await validate(PROPOSE_CONFIRM_APPLY)).toEqual({ valid: true, errors: [] });
    expect(await validate()).toEqual({ valid: false, errors: ['Missing required field: flow_config'] });
    expect(await validate({ ...READ_AND_SUMMARISE, flow: {} })).toEqual({
      valid: false,
      errors: [
        'Flow compilation failed during validation: Can not build flow graph: entry_point is not defined in the flow config.',
      ],
    });
  });

  it('runs an inline flowConfig of two components through the flow engine', async () => {
    writeFileSync(join(harness.workdir, 'notes.txt'), 'Ship on Friday.');
    const script = scriptByComponent(
      { summarise: 'You summarise files.' },
      { summarise: [{ text: 'Friday release.' }] },
    );
    harness.model.script(script.reply);
    const gitlab = new FakeGitLab();
    const { stream, status } = await run(gitlab, {
      goal: 'notes.txt',
      flowConfig: toStruct(READ_AND_SUMMARISE),
      flowConfigSchemaVersion: 'v1',
    });
    expect(status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(script.seen.summarise[0].body.messages.slice(1)).toEqual([
      { role: 'user', content: 'Summarise:\nShip on Friday.' },
    ]);
    expect(
      chatLog(checkpointsOf(stream).at(-1)).map((entry: any) => [entry.message_type, entry.component_name]),
    ).toEqual([
      ['tool', undefined],
      ['tool', 'read'],
      ['agent', 'summarise'],
    ]);
    expect(gitlab.checkpoints.at(-1).checkpoint.channel_values.flow.context.read).toEqual({
      tool_responses: 'Ship on Friday.',
      execution_result: 'success',
    });
  });

  it('pauses at a HumanInputComponent and resumes from the events API in the next call (§6.3, §6.6)', async () => {
    const script = scriptByComponent(
      { propose: 'You propose plans.', apply: 'You carry out plans.' },
      { propose: [{ text: 'Plan A' }], apply: [{ text: 'Applied plan A.' }] },
    );
    harness.model.script(script.reply);
    const gitlab = new FakeGitLab();
    const flow = { flowConfig: toStruct(PROPOSE_CONFIRM_APPLY), flowConfigSchemaVersion: 'v1' };

    const asking = await run(gitlab, { goal: 'Tidy the repo', ...flow });
    expect(asking.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(checkpointsOf(asking.stream).at(-1).status).toBe('INPUT_REQUIRED');
    expect(chatLog(checkpointsOf(asking.stream).at(-1)).at(-1)).toMatchObject({
      message_type: 'request',
      message_sub_type: 'approval',
      content: 'Apply this plan? Plan A',
      component_name: 'confirm',
    });

    const empty = await run(gitlab, { goal: '', ...flow });
    expect(empty.status).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: 'Empty user input: a message is required to resume this workflow.',
    });

    gitlab.events.push({ id: 9, event_type: 'response', message: 'Yes, but keep the README' });
    const resumed = await run(gitlab, { goal: '', ...flow });
    expect(resumed.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(traceOf(resumed.stream.actions).slice(0, 5)).toEqual([
      'POST graphql',
      'PATCH workflow retry',
      'GET workflow/events',
      'PUT workflow/events/9',
      'checkpoint RUNNING',
    ]);
    expect(gitlab.events).toEqual([]);
    expect(gitlab.statusEvents).toEqual(['start', 'require_input', 'resume', 'retry', 'finish']);
    expect(script.seen.apply[0].body.messages.slice(1)).toEqual([
      { role: 'user', content: 'The plan: Plan A' },
      { role: 'user', content: 'Yes, but keep the README' },
    ]);
    expect(checkpointsOf(resumed.stream).at(-1).status).toBe('FINISHED');
  });

  it('ends the flow at a rejection of the HumanInputComponent without running the next agent', async () => {
    const script = scriptByComponent(
      { propose: 'You propose plans.', apply: 'You carry out plans.' },
      { propose: [{ text: 'Plan B' }] },
    );
    harness.model.script(script.reply);
    const gitlab = new FakeGitLab();
    const flow = { flowConfig: toStruct(PROPOSE_CONFIRM_APPLY), flowConfigSchemaVersion: 'v1' };
    await run(gitlab, { goal: 'Tidy the repo', ...flow });
    const rejected = await run(gitlab, { goal: '', ...flow, approval: { rejection: {} } });
    expect(rejected.status).toMatchObject({ code: GrpcStatus.OK });
    expect(checkpointsOf(rejected.stream).at(-1).status).toBe('FINISHED');
    expect(script.seen.apply).toBeUndefined();
    expect(gitlab.checkpoints.at(-1).checkpoint.channel_values.flow.context.confirm).toEqual({ approval: 'reject' });
  });
});
