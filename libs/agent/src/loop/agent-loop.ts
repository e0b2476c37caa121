import { randomUUID } from 'node:crypto';
import { ChatMessage, ToolCall, Usage } from '@app/models';
import { ToolApproval } from '../approval/tool-approval';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { logEntry } from '../checkpoint/workflow-state';
import { redactSecrets, redactSecretsDeep } from '../security/secret-redaction';
import { Tool, ToolContext } from '../tools/tool';
import { ToolError } from '../tools/tool-error';
import { runModelTurn } from './model-turn';
import { SelfHostedBilling } from './self-hosted-billing';
import { SessionModel } from './session-model';
import { StepBudget } from './step-budget';
import { argsOf, runToolCalls, ToolLogOptions, ToolOutcome } from './tool-runner';

/** What an agent writes into `ui_chat_log` (flow components: `ui_log_events`); absent: everything. */
export interface AgentUiLog {
  finalAnswer: boolean;
  /** Text the model writes alongside tool calls. */
  reasoning: boolean;
  toolSuccess: boolean;
  toolFailure: boolean;
}

export interface AgentSpec {
  /** Key of its conversation in the checkpoint and of `agent_context_usage`. */
  name: string;
  systemPrompt: string;
  tools: Tool[];
  componentName?: string;
  streamText: boolean;
  uiLog?: AgentUiLog;
  /**
   * Which calls wait for the user: `session` (default) asks the session's rules (§6.3); a flow component
   * without `require_tool_approval` asks for none; with it, all but its `pre_approved_tools` and the session's.
   */
  approval?: 'session' | 'none' | { exempt: ReadonlySet<string> };
  /** Model turns before the agent is told to wrap up (a flow's `max_cycles`). */
  maxCycles?: number;
}

/** Turns an agent may still take after being told to wrap up, before the run fails. */
const WRAP_UP_TURNS = 3;
const WRAP_UP_MESSAGE =
  'You have reached the maximum number of steps for this task. Do not call any more tools: give your final answer now.';

export interface LoopDeps {
  model: SessionModel;
  checkpoints: CheckpointStream;
  approval: ToolApproval;
  toolContext: ToolContext;
  billing: SelfHostedBilling;
  budget: StepBudget;
  signal: AbortSignal;
}

/** The user's answer to pending tool calls: these ids are rejected, `feedback` goes to the model. */
export interface RejectionDecision {
  toolCallIds: ReadonlySet<string>;
  feedback?: string;
}

export type AgentOutcome =
  | { kind: 'done'; text: string }
  | { kind: 'handover'; summary: string }
  | { kind: 'input'; question: string }
  | { kind: 'approval' };

/** Model ⇄ tools until the model answers without tool calls, a tool ends the agent, or approval is needed (§6.3). */
export class AgentLoop {
  constructor(private readonly deps: LoopDeps) {}

  async run(agent: AgentSpec, rejection?: RejectionDecision): Promise<AgentOutcome> {
    const history = (this.deps.checkpoints.state.conversation_history[agent.name] ??= []);
    const tools = new Map(agent.tools.map((tool) => [tool.definition.name, tool]));
    let decision = rejection;
    let turns = 0;
    for (;;) {
      const unanswered = unansweredCalls(history);
      if (unanswered.length > 0) {
        const outcome = await this.runTools(agent, history, unanswered, tools, decision);
        decision = undefined;
        if (outcome) return outcome;
        continue;
      }
      this.wrapUp(agent, history, turns);
      turns += 1;
      const turn = await this.turn(agent, history);
      if (turn.toolCalls.length === 0) return { kind: 'done', text: turn.content };
      if (await this.requestApproval(agent, turn.toolCalls, tools)) return { kind: 'approval' };
      await this.deps.checkpoints.persist();
    }
  }

  /** One model turn of the agent (a graph step, billed): its answer is appended to the history. */
  async turn(agent: AgentSpec, history: ChatMessage[]): Promise<ChatMessage & { toolCalls: ToolCall[] }> {
    this.deps.budget.take();
    await this.deps.billing.beforeModelCall();
    const log = this.deps.checkpoints.state.ui_chat_log;
    const logged = log.length;
    const turn = await runModelTurn(this.deps.model, this.deps.checkpoints, {
      agent: agent.name,
      componentName: agent.componentName,
      messages: [{ role: 'system', content: agent.systemPrompt }, ...history],
      tools: agent.tools.map((tool) => tool.definition),
      streamText: agent.streamText,
      signal: this.deps.signal,
    });
    history.push(turn.message);
    this.recordUsage(agent.name, history, turn.usage);
    const shown = turn.message.toolCalls.length > 0 ? agent.uiLog?.reasoning : agent.uiLog?.finalAnswer;
    // A model turn adds at most its own `agent` entry; the component did not ask to show it.
    if (shown === false) log.splice(logged);
    for (const entry of log.slice(logged)) entry.content = redactSecrets(entry.content);
    return turn.message;
  }

  /** Runs a batch of the agent's tool calls (a graph step) and appends the results to its history. */
  async runCalls(
    agent: AgentSpec,
    history: ChatMessage[],
    calls: ToolCall[],
    decision?: RejectionDecision,
  ): Promise<ToolOutcome[]> {
    this.deps.budget.take();
    const tools = new Map(agent.tools.map((tool) => [tool.definition.name, tool]));
    const outcomes = await runToolCalls(calls, tools, this.deps.toolContext, decision, toolLogOf(agent));
    history.push(...outcomes.map((outcome) => outcome.message));
    return outcomes;
  }

  private async runTools(
    agent: AgentSpec,
    history: ChatMessage[],
    calls: ToolCall[],
    tools: ReadonlyMap<string, Tool>,
    decision: RejectionDecision | undefined,
  ): Promise<AgentOutcome | undefined> {
    const { state } = this.deps.checkpoints;
    const outcomes = await this.runCalls({ ...agent, tools: [...tools.values()] }, history, calls, decision);
    if (decision?.feedback) {
      history.push({ role: 'user', content: decision.feedback });
      state.ui_chat_log.push(
        logEntry('user', decision.feedback, { message_id: randomUUID(), component_name: agent.componentName }),
      );
    }
    await this.deps.checkpoints.persist();
    const ending = outcomes.find((outcome) => !outcome.failed && outcome.tool?.ends);
    if (!ending) return undefined;
    return ending.tool?.ends === 'handover'
      ? { kind: 'handover', summary: ending.message.content }
      : { kind: 'input', question: ending.message.content };
  }

  /**
   * Past `maxCycles` model turns the agent is told to finish, again at each turn it ignores that; a few turns
   * later the run fails (upstream's `max_cycles` and `max_wrap_up_retries`).
   */
  private wrapUp(agent: AgentSpec, history: ChatMessage[], turns: number): void {
    if (agent.maxCycles === undefined || turns < agent.maxCycles) return;
    if (turns >= agent.maxCycles + WRAP_UP_TURNS) {
      throw new Error(
        `Agent '${agent.componentName ?? agent.name}' did not finish within max_cycles (${agent.maxCycles})`,
      );
    }
    history.push({ role: 'user', content: WRAP_UP_MESSAGE });
  }

  /** Records a `request` entry per call that needs the user's decision; true when any does. */
  private async requestApproval(
    agent: AgentSpec,
    calls: ToolCall[],
    tools: ReadonlyMap<string, Tool>,
  ): Promise<boolean> {
    const verdicts = await Promise.all(calls.map((call) => this.needsApproval(agent, call, tools.get(call.name))));
    const waiting = calls.filter((_, index) => verdicts[index]);
    if (waiting.length === 0) return false;
    const { state } = this.deps.checkpoints;
    for (const call of waiting) {
      state.ui_chat_log.push(
        logEntry('request', `Tool ${call.name} requires approval. Please confirm if you want to proceed.`, {
          message_id: call.id,
          component_name: agent.componentName,
          tool_info: { name: call.name, args: redactSecretsDeep(argsOf(call)) },
        }),
      );
    }
    state.pending_approval = { agent: agent.name, tool_call_ids: waiting.map((call) => call.id) };
    return true;
  }

  private async needsApproval(agent: AgentSpec, call: ToolCall, tool: Tool | undefined): Promise<boolean> {
    const policy = agent.approval ?? 'session';
    if (!tool || policy === 'none' || (policy !== 'session' && policy.exempt.has(call.name))) return false;
    try {
      return await this.deps.approval.needsApproval(tool, call, argsOf(call));
    } catch (error) {
      if (error instanceof ToolError) return false;
      throw error;
    }
  }

  private recordUsage(agent: string, history: ChatMessage[], usage: Usage | undefined): void {
    const estimated = Math.ceil(history.reduce((sum, message) => sum + message.content.length, 0) / 4);
    const total = usage ? usage.inputTokens + usage.outputTokens : estimated;
    this.deps.checkpoints.state.context_usage[agent] = {
      total_tokens: total,
      max_tokens: this.deps.model.maxContextTokens,
    };
  }
}

function toolLogOf(agent: AgentSpec): ToolLogOptions | undefined {
  if (!agent.uiLog) return undefined;
  return {
    componentName: agent.componentName,
    success: agent.uiLog.toolSuccess,
    failure: agent.uiLog.toolFailure,
    internal: false,
  };
}

/** Tool calls of the last assistant turn that have no result yet (pending approval or an interrupted run). */
function unansweredCalls(history: readonly ChatMessage[]): ToolCall[] {
  const lastAssistant = history.map((message) => message.role).lastIndexOf('assistant');
  if (lastAssistant === -1) return [];
  const answered = new Set(history.slice(lastAssistant + 1).map((message) => message.toolCallId));
  return (history[lastAssistant].toolCalls ?? []).filter((call) => !answered.has(call.id));
}
