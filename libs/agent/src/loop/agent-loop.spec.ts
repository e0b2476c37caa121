import { Chunk, ModelRequest } from '@app/models';
import { ToolApproval } from '../approval/tool-approval';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { initialState } from '../checkpoint/workflow-state';
import { WorkflowStore } from '../gitlab/workflow-store';
import { ActionChannel } from '../session/action-channel';
import { ActionCodec } from '../session/action-codec';
import { ActionOutbox } from '../session/action-outbox';
import { ExclusionRules } from '../tools/exclusion-rules';
import { runCommandTool } from '../tools/command-tools';
import { extractLinesTool } from '../tools/file-tools';
import { AgentLoop, AgentSpec } from './agent-loop';
import { SelfHostedBilling } from './self-hosted-billing';
import { SessionModel } from './session-model';
import { StepBudget } from './step-budget';

/** An in-memory model: each call answers with the next script entry (the last one repeats). */
class ScriptedModel implements SessionModel {
  readonly maxContextTokens = 1000;
  readonly requests: ModelRequest[] = [];
  constructor(private readonly script: Chunk[][]) {}

  async *stream(request: ModelRequest): AsyncIterable<Chunk> {
    this.requests.push(request);
    yield* this.script.length > 1 ? this.script.shift()! : this.script[0];
  }
}

const toolCall = (id: string, name: string, args: object): Chunk => ({
  type: 'tool_call',
  index: 0,
  id,
  name,
  argumentsDelta: JSON.stringify(args),
});

function loopWith(model: SessionModel, billingEnabled = false) {
  const outbox = new ActionOutbox();
  const channel = new ActionChannel(
    outbox,
    new (class extends ActionCodec {
      exceedsMessageLimit = () => false;
    })(),
  );
  const store = {
    saveCheckpoint: async () => undefined,
    toolCallApproved: async () => false,
  } as unknown as WorkflowStore;
  const state = initialState('goal');
  const checkpoints = new CheckpointStream(channel, store, state, {});
  const loop = new AgentLoop({
    model,
    checkpoints,
    approval: new ToolApproval(new Set(), store),
    toolContext: {
      channel,
      gitlab: undefined as never,
      capabilities: new Set(),
      exclusion: new ExclusionRules([]),
      state,
      project: {},
    },
    billing: new SelfHostedBilling(channel, billingEnabled, '1', 'chat'),
    budget: new StepBudget(),
    signal: new AbortController().signal,
  });
  return { loop, state, outbox, channel };
}

const agent = (tools = [extractLinesTool, runCommandTool]): AgentSpec => ({
  name: 'chat',
  systemPrompt: 'sys',
  tools,
  streamText: true,
});

describe(AgentLoop.name, () => {
  it('answers when the model stops calling tools, recording its context usage', async () => {
    const model = new ScriptedModel([
      [
        { type: 'text', text: 'Hi' },
        { type: 'usage', usage: { inputTokens: 40, outputTokens: 2 } },
      ],
    ]);
    const { loop, state } = loopWith(model);
    state.conversation_history.chat = [{ role: 'user', content: 'hello' }];
    expect(await loop.run(agent())).toEqual({ kind: 'done', text: 'Hi' });
    expect(state.context_usage.chat).toEqual({ total_tokens: 42, max_tokens: 1000 });
    expect(model.requests[0].messages[0]).toEqual({ role: 'system', content: 'sys' });
    expect(state.ui_chat_log.at(-1)).toMatchObject({ message_type: 'agent', content: 'Hi' });
  });

  it('stops a run that never ends after 600 graph steps', async () => {
    const model = new ScriptedModel([[toolCall('c', 'extract_lines_from_text', { content: 'a', start_line: 1 })]]);
    const { loop } = loopWith(model);
    await expect(loop.run(agent())).rejects.toThrow('Recursion limit of 600 reached without hitting a stop condition');
    expect(model.requests).toHaveLength(300);
  });

  it('pauses for approval of a tool that is neither internal, pre-approved nor approved by GitLab', async () => {
    const model = new ScriptedModel([[toolCall('call_1', 'run_command', { program: 'ls' })]]);
    const { loop, state } = loopWith(model);
    expect(await loop.run(agent())).toEqual({ kind: 'approval' });
    expect(state.pending_approval).toEqual({ agent: 'chat', tool_call_ids: ['call_1'] });
    expect(state.ui_chat_log.at(-1)).toMatchObject({
      message_type: 'request',
      message_id: 'call_1',
      tool_info: { name: 'run_command', args: { program: 'ls' } },
    });
  });

  it('answers a call of an unknown tool with an error result and goes on', async () => {
    const model = new ScriptedModel([[toolCall('call_x', 'no_such_tool', {})], [{ type: 'text', text: 'sorry' }]]);
    const { loop } = loopWith(model);
    expect(await loop.run(agent())).toEqual({ kind: 'done', text: 'sorry' });
    expect(model.requests[1].messages.at(-1)).toEqual({
      role: 'tool',
      content: "Error: Tool 'no_such_tool' is not available",
      toolCallId: 'call_x',
    });
  });

  it('waits for the billing answer before each model call (§6.7)', async () => {
    const model = new ScriptedModel([[{ type: 'text', text: 'Hi' }]]);
    const { loop, outbox, channel } = loopWith(model, true);
    const outcome = loop.run(agent());
    let track;
    for await (const action of outbox) {
      if (action.trackLlmCallForSelfHosted) {
        track = action;
        break;
      }
    }
    expect(track?.trackLlmCallForSelfHosted).toEqual({
      workflowID: '1',
      featureQualifiedName: 'chat',
      featureAiCatalogItem: false,
    });
    expect(model.requests).toHaveLength(0);
    channel.deliver({ requestID: track!.requestID, plainTextResponse: { response: '', error: '' } });
    expect(await outcome).toEqual({ kind: 'done', text: 'Hi' });
    expect(model.requests).toHaveLength(1);
  });
});
