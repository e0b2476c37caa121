import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeGitLab } from './fakes/gitlab-executor';
import { scriptByComponent, toolCall } from './helpers/flow-trace';
import { chatLog, checkpointsOf, useWorkflowHarness } from './helpers/workflow-client';

const CHAT = { chat_agent: 'You are GitLab Duo, an agentic assistant' };
const PRIVILEGES = ['read_write_files', 'read_write_gitlab', 'run_commands', 'use_git', 'start_flows'];

/** One planted secret of each kind, in a file a tool reads. */
const SECRETS = {
  token: 'glpat-AbCdEfGhIjKlMnOpQrSt12',
  key: 'AKIAIOSFODNN7EXAMPLE',
  password: 's3cr3t-Value',
  privateKey: [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2g',
    '-----END OPENSSH PRIVATE KEY-----',
  ].join('\n'),
};

describe('DuoWorkflow chat flows: turns, approvals, streaming, tools of the session contract', () => {
  const harness = useWorkflowHarness();

  function gitlabWith(routes: Record<string, (body: any) => { statusCode: number; body: unknown }>): FakeGitLab {
    const gitlab = new FakeGitLab();
    gitlab.node = { agentPrivilegesNames: PRIVILEGES, preApprovedAgentPrivilegesNames: [] };
    for (const [route, reply] of Object.entries(routes)) gitlab.api.set(route, reply);
    return gitlab;
  }

  async function run(gitlab: FakeGitLab, startRequest: object, extra: Record<string, string> = {}) {
    const { stream } = harness.open(gitlab, {}, extra);
    stream.send({ startRequest: { workflowID: '42', clientCapabilities: [], ...startRequest } });
    return { stream, status: await stream.status };
  }

  it('agentic_chat: answers, waits for the next message, and asks approval before changing a file', async () => {
    writeFileSync(join(harness.workdir, 'app.js'), 'console.log("helo");\n');
    const gitlab = gitlabWith({});
    const marker = { chat_agent: 'You are GitLab Duo, an agentic assistant' };
    const edit = toolCall('e1', 'edit_file', { file_path: 'app.js', old_str: 'helo', new_str: 'hello' });
    const script = scriptByComponent(marker, {
      chat_agent: [
        { toolCalls: [toolCall('r1', 'read_file', { file_path: 'app.js' })] },
        { text: 'It logs "helo".' },
        { toolCalls: [edit] },
        { text: 'Fixed.' },
      ],
    });
    harness.model.script(script.reply);

    const first = await run(gitlab, { goal: 'What does app.js print?', workflowDefinition: 'agentic_chat/v1' });
    expect(first.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(checkpointsOf(first.stream).at(-1).status).toBe('INPUT_REQUIRED');
    const second = await run(gitlab, { goal: 'Fix the typo', workflowDefinition: 'agentic_chat/v1' });
    expect(checkpointsOf(second.stream).at(-1).status).toBe('TOOL_CALL_APPROVAL_REQUIRED');
    const third = await run(gitlab, { goal: '', workflowDefinition: 'agentic_chat/v1', approval: { approval: {} } });

    expect(third.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(gitlab.statusEvents).toEqual([
      'start',
      'require_input',
      'resume',
      'require_tool_call_approval',
      'resume',
      'require_input',
    ]);
    expect(readFileSync(join(harness.workdir, 'app.js'), 'utf8')).toBe('console.log("hello");\n');
    const log = chatLog(checkpointsOf(third.stream).at(-1));
    expect(log.map((entry: any) => `${entry.message_type}:${entry.content}`)).toEqual([
      'user:What does app.js print?',
      'tool:Using read_file',
      'agent:It logs "helo".',
      'user:Fix the typo',
      'request:Tool edit_file requires approval. Please confirm if you want to proceed.',
      'tool:Using edit_file',
      'agent:Fixed.',
    ]);
    const lastRequest = script.seen.chat_agent.at(-1)!.body.messages;
    expect(lastRequest.map((message: any) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
      'assistant',
      'tool',
    ]);
  });

  it('duo_planner/experimental runs as duo_planner/v1, a chat-partial flow in the chat frame', async () => {
    const gitlab = gitlabWith({});
    gitlab.node = { agentPrivilegesNames: ['read_only_gitlab', 'read_only_files'] };
    const script = scriptByComponent(
      { duo_planner: 'You are GitLab Duo Planner' },
      { duo_planner: [{ text: 'Three issues.' }] },
    );
    harness.model.script(script.reply);

    const { stream, status } = await run(gitlab, {
      goal: 'Plan the epic',
      workflowDefinition: 'duo_planner/experimental',
    });

    expect(status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(checkpointsOf(stream).at(-1).status).toBe('FINISHED');
    const request = script.seen.duo_planner[0].body;
    expect(request.messages[0].content).toContain(
      'The current project is demo (https://gitlab.example/demo), id 1000.',
    );
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: 'Plan the epic' });
    expect(request.tools.map((tool: any) => tool.function.name)).toEqual([
      'get_issue',
      'gitlab_api_get',
      'gitlab_graphql',
      'get_merge_request',
    ]);
  });
  it('streams only new and changed log entries with incremental_streaming; merged by message_id they are the full log (§6.5)', async () => {
    writeFileSync(join(harness.workdir, 'app.js'), 'console.log("hi");\n');
    const script = scriptByComponent(CHAT, {
      chat_agent: [
        { chunks: ['Let me ', 'look.'], toolCalls: [toolCall('r1', 'read_file', { file_path: 'app.js' })] },
        { chunks: ['It ', 'prints ', '"hi".'] },
      ],
    });
    harness.model.script(script.reply);
    const gitlab = gitlabWith({});
    const start = { goal: 'What does app.js print?', workflowDefinition: 'agentic_chat/v1', streaming: true };
    const { stream } = await run(gitlab, { ...start, clientCapabilities: ['incremental_streaming'] });

    const parts = checkpointsOf(stream).map(chatLog);
    const merged = new Map<string, unknown>();
    for (const part of parts) for (const entry of part) merged.set(entry.message_id, entry);
    const stored = gitlab.checkpoints.at(-1).checkpoint.channel_values.ui_chat_log;
    expect([...merged.values()]).toEqual(stored);
    expect(stored.map((entry: any) => entry.content)).toEqual([
      'What does app.js print?',
      'Let me look.',
      'Using read_file',
      'It prints "hi".',
    ]);
    expect(parts.some((part) => part.length > 0 && part.length < stored.length)).toBe(true);
    expect(parts.at(-1)).not.toContainEqual(stored[0]);
  });

  it('redacts a planted token, key, password and private key from tool output everywhere it goes (§6.5)', async () => {
    const env = `GITLAB_TOKEN=${SECRETS.token}\nAWS_ACCESS_KEY_ID=${SECRETS.key}\nDB_PASSWORD="${SECRETS.password}"\n${SECRETS.privateKey}\n`;
    writeFileSync(join(harness.workdir, '.env.example'), env);
    const script = scriptByComponent(CHAT, {
      chat_agent: [
        { toolCalls: [toolCall('r1', 'read_file', { file_path: '.env.example' })] },
        { text: 'It configures GitLab, AWS and the database.' },
      ],
    });
    harness.model.script(script.reply);
    const gitlab = gitlabWith({});
    const { stream } = await run(gitlab, { goal: 'What is in .env.example?', workflowDefinition: 'agentic_chat/v1' });

    const everything = JSON.stringify([
      stream.actions,
      gitlab.checkpoints,
      script.seen.chat_agent.map((request) => request.body),
    ]);
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret.split('\n')[1] ?? secret);
    const tool = chatLog(checkpointsOf(stream).at(-1)).find((entry: any) => entry.message_type === 'tool');
    expect(tool.tool_info.tool_response).toBe(
      'GITLAB_TOKEN=[REDACTED]\nAWS_ACCESS_KEY_ID=[REDACTED]\nDB_PASSWORD="[REDACTED]"\n[REDACTED]\n',
    );
    expect(script.seen.chat_agent[1].body.messages.at(-1).content).toBe(tool.tool_info.tool_response);
    expect(readFileSync(join(harness.workdir, '.env.example'), 'utf8')).toBe(env);
  });

  it('start_flow hands a task to a foundational flow through the agent_workflows API', async () => {
    const created: any[] = [];
    const gitlab = gitlabWith({
      'POST /api/v4/ai/duo_workflows/agent_workflows': (body) => (
        created.push(body),
        { statusCode: 201, body: { id: 77 } }
      ),
    });
    gitlab.toolCallApproved = (name) => name === 'start_flow';
    const call = toolCall('s1', 'start_flow', {
      flow: { name: 'code_review', merge_request_url: 'https://gitlab.example/demo/-/merge_requests/3' },
    });
    const script = scriptByComponent(CHAT, { chat_agent: [{ toolCalls: [call] }, { text: 'Started.' }] });
    harness.model.script(script.reply);
    const { status } = await run(gitlab, { goal: 'Review MR 3', workflowDefinition: 'agentic_chat/v1' });

    expect(status.code).toBe(GrpcStatus.OK);
    expect(created).toEqual([
      {
        workflow_definition: 'code_review/v1',
        environment: 'ambient',
        start_workflow: true,
        goal: '3',
        project_id: '1000',
        merge_request_id: 3,
      },
    ]);
    expect(JSON.parse(script.seen.chat_agent[1].body.messages.at(-1).content)).toEqual({
      status: 'started',
      workflow_id: 77,
      session_url: 'https://gitlab.example/demo/-/automate/agent-sessions/77',
      flow_name: 'code_review',
    });
  });

  it('notify_me_when schedules a notification only for clients with schedule_notification (§6.4, §8)', async () => {
    const gitlab = gitlabWith({});
    gitlab.toolCallApproved = () => true;
    const call = toolCall('n1', 'notify_me_when', {
      when: { type: 'timer', delay_minutes: 5 },
      message: 'Check the pipeline',
    });
    const script = scriptByComponent(CHAT, { chat_agent: [{ toolCalls: [call] }, { text: 'I will check later.' }] });
    harness.model.script(script.reply);
    const start = { goal: 'Remind me', workflowDefinition: 'agentic_chat/v1' };
    const { stream } = await run(gitlab, { ...start, clientCapabilities: ['schedule_notification'] });

    const scheduled = stream.actions.find((action) => action.action === 'scheduleNotification')!.scheduleNotification;
    const condition = JSON.parse(scheduled.condition);
    expect(scheduled).toMatchObject({
      message: 'Check the pipeline',
      task_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(condition).toEqual({
      type: 'timer',
      deadline: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(script.seen.chat_agent[1].body.messages.at(-1).content).toBe(
      `Notification ${scheduled.task_id} scheduled. It will be delivered at or after ${condition.deadline} (UTC).`,
    );
    const names = (request: any) => request.body.tools.map((tool: any) => tool.function.name);
    expect(names(script.seen.chat_agent[0])).toContain('notify_me_when');
    harness.model.script(script.reply);
    await run(gitlabWith({}), start);
    expect(names(script.seen.chat_agent.at(-1))).not.toContain('notify_me_when');
  });

  it('writes incremental, compressed checkpoints only when GitLab advertises them (§6.6)', async () => {
    writeFileSync(join(harness.workdir, 'notes.txt'), 'x');
    const script = () =>
      scriptByComponent(CHAT, {
        chat_agent: [{ toolCalls: [toolCall('r1', 'read_file', { file_path: 'notes.txt' })] }, { text: 'One line.' }],
      }).reply;
    const start = { goal: 'Read notes.txt', workflowDefinition: 'agentic_chat/v1' };
    for (const [capability, strategy] of [
      ['incremental_checkpoints', 'incremental'],
      ['incremental_checkpoints_only', 'incremental_only'],
    ]) {
      harness.model.script(script());
      const gitlab = gitlabWith({});
      await run(gitlab, { ...start, clientCapabilities: [capability] });
      expect(new Set(gitlab.checkpoints.map((checkpoint) => checkpoint.path.split('?')[1]))).toEqual(
        new Set([`checkpoint_strategy=${strategy}`]),
      );
      const [first, second] = gitlab.checkpoints;
      expect(first).not.toHaveProperty('checkpoint_json');
      expect(JSON.parse(inflateSync(Buffer.from(second.compressed_checkpoint, 'base64')).toString()).id).toBe(
        second.thread_ts,
      );
      const blob = (checkpoint: any, channel: string) =>
        checkpoint.channel_blobs.find((item: any) => item.channel === channel);
      const entries = (item: any) => JSON.parse(inflateSync(Buffer.from(item.data, 'base64')).toString());
      expect(blob(first, 'ui_chat_log').step_action).toBe('compaction');
      expect(blob(second, 'ui_chat_log')).toMatchObject({ step_action: 'conversation', write_type: 'json' });
      expect(entries(blob(second, 'ui_chat_log')).length).toBeLessThan(
        second.checkpoint.channel_values.ui_chat_log.length,
      );
    }
    harness.model.script(script());
    const plain = gitlabWith({});
    await run(plain, start);
    expect(
      plain.checkpoints.every(
        (checkpoint) => checkpoint.path.endsWith('checkpoint_strategy=full') && checkpoint.checkpoint.id,
      ),
    ).toBe(true);
    expect(plain.checkpoints.some((checkpoint) => 'compressed_checkpoint' in checkpoint)).toBe(false);
  });

  it('offers the session’s MCP tools to a chat flow’s agent, as upstream does', async () => {
    const script = scriptByComponent(CHAT, { chat_agent: [{ text: 'Hello.' }] });
    harness.model.script(script.reply);
    const mcpTools = [{ name: 'jira.search', description: 'Search Jira', inputSchema: '{"type":"object"}' }];
    await run(gitlabWith({}), { goal: 'Hi', workflowDefinition: 'agentic_chat/v1', mcpTools });
    const names = script.seen.chat_agent[0].body.tools.map((tool: any) => tool.function.name);
    expect(names).toContain('jira_search');
    expect(names.at(-1)).toBe('final_response_tool');
  });

  it('gives a self-hosted Mistral model the prompt written for its family', async () => {
    const script = scriptByComponent(CHAT, { chat_agent: [{ text: 'Hello.' }] });
    harness.model.script(script.reply);
    const metadata = { provider: 'custom_openai', name: 'mistral', endpoint: harness.model.url, api_key: 'sk-secret' };
    await run(
      gitlabWith({}),
      { goal: 'Hi', workflowDefinition: 'agentic_chat/v1' },
      {
        'x-gitlab-agent-platform-model-metadata': JSON.stringify(metadata),
      },
    );
    harness.model.script(script.reply);
    await run(gitlabWith({}), { goal: 'Hi', workflowDefinition: 'agentic_chat/v1' });
    const [mistral, base] = script.seen.chat_agent.map((request) => request.body.messages[0].content);
    expect(mistral).toContain('Call one tool at a time and wait for its result');
    expect(base).toContain('You may call several independent tools at once.');
    expect(mistral.split('How to work:')[0]).toBe(base.split('How to work:')[0]);
  });
});
