import { randomUUID } from 'node:crypto';
import { ChatMessage, ToolCall, Usage } from '@app/models';
import { ToolApproval } from '../approval/tool-approval';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { logEntry } from '../checkpoint/workflow-state';
import { Tool, ToolContext } from '../tools/tool';
import { ToolError } from '../tools/tool-error';
import { runModelTurn } from './model-turn';
import { SelfHostedBilling } from './self-hosted-billing';
import { SessionModel } from './session-model';
import { StepBudget } from './step-budget';
import { argsOf, runToolCalls } from './tool-runner';

export interface AgentSpec {
  /** Key of its conversation in the checkpoint and of `agent_context_usage`. */
  name: string;
  systemPrompt: string;
  tools: Tool[];
  componentName?: string;
  streamText: boolean;
}

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
    for (;;) {
      const unanswered = unansweredCalls(history);
      if (unanswered.length > 0) {
        const outcome = await this.runTools(history, unanswered, tools, decision);
        decision = undefined;
        if (outcome) return outcome;
        continue;
      }
      this.deps.budget.take();
      await this.deps.billing.beforeModelCall();
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
      if (turn.message.toolCalls.length === 0) return { kind: 'done', text: turn.message.content };
      if (await this.requestApproval(agent.name, turn.message.toolCalls, tools)) return { kind: 'approval' };
      await this.deps.checkpoints.persist();
    }
  }

  private async runTools(
    history: ChatMessage[],
    calls: ToolCall[],
    tools: ReadonlyMap<string, Tool>,
    decision: RejectionDecision | undefined,
  ): Promise<AgentOutcome | undefined> {
    this.deps.budget.take();
    const { state } = this.deps.checkpoints;
    const outcomes = await runToolCalls(calls, tools, this.deps.toolContext, decision);
    history.push(...outcomes.map((outcome) => outcome.message));
    if (decision?.feedback) {
      history.push({ role: 'user', content: decision.feedback });
      state.ui_chat_log.push(logEntry('user', decision.feedback, { message_id: randomUUID() }));
    }
    await this.deps.checkpoints.persist();
    const ending = outcomes.find((outcome) => !outcome.failed && outcome.tool?.ends);
    if (!ending) return undefined;
    return ending.tool?.ends === 'handover'
      ? { kind: 'handover', summary: ending.message.content }
      : { kind: 'input', question: ending.message.content };
  }

  /** Records a `request` entry per call that needs the user's decision; true when any does. */
  private async requestApproval(agent: string, calls: ToolCall[], tools: ReadonlyMap<string, Tool>): Promise<boolean> {
    const verdicts = await Promise.all(calls.map((call) => this.needsApproval(call, tools.get(call.name))));
    const waiting = calls.filter((_, index) => verdicts[index]);
    if (waiting.length === 0) return false;
    const { state } = this.deps.checkpoints;
    for (const call of waiting) {
      state.ui_chat_log.push(
        logEntry('request', `Tool ${call.name} requires approval. Please confirm if you want to proceed.`, {
          message_id: call.id,
          tool_info: { name: call.name, args: argsOf(call) },
        }),
      );
    }
    state.pending_approval = { agent, tool_call_ids: waiting.map((call) => call.id) };
    return true;
  }

  private async needsApproval(call: ToolCall, tool: Tool | undefined): Promise<boolean> {
    if (!tool) return false;
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

/** Tool calls of the last assistant turn that have no result yet (pending approval or an interrupted run). */
function unansweredCalls(history: readonly ChatMessage[]): ToolCall[] {
  const lastAssistant = history.map((message) => message.role).lastIndexOf('assistant');
  if (lastAssistant === -1) return [];
  const answered = new Set(history.slice(lastAssistant + 1).map((message) => message.toolCallId));
  return (history[lastAssistant].toolCalls ?? []).filter((call) => !answered.has(call.id));
}
