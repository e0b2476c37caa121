import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@app/common';
import { CheckpointStatus, FlowProgress, logEntry } from '../checkpoint/workflow-state';
import { RejectionDecision } from '../loop/agent-loop';
import { FLOW_INTERNAL_TOOLS } from '../tools/tool-catalog';
import { takeApprovalDecision } from '../workflows/conversation';
import { Workflow, WorkflowRun } from '../workflows/workflow';
import { HumanInputComponent, HumanResponse } from './components/human-input-component';
import { initialFlowContext } from './flow-context';
import { ABORT, END, FlowGraph } from './flow-graph';
import { FlowRuntime } from './flow-runtime';
import { PromptLibrary } from './prompt-library';
import { userResponseOf } from './user-response';

class FlowAborted extends Error {
  constructor(at: string) {
    super(`The flow was aborted after component '${at}'`);
    this.name = 'FlowAborted';
  }
}

/**
 * A registry or inline flow (§6.1) on the flow engine: components run one after the other along the
 * routers, a checkpoint after each; the run stops at `end` (FINISHED), at `abort` (a failure), when a tool call
 * waits for approval, or when input is required: that call ends, and the next one (or the events API) resumes.
 */
export class FlowWorkflow implements Workflow {
  constructor(
    readonly name: string,
    private readonly graph: FlowGraph,
    private readonly library: PromptLibrary,
  ) {}

  async run(run: WorkflowRun): Promise<CheckpointStatus> {
    const tools = new Map([...FLOW_INTERNAL_TOOLS, ...run.tools].map((tool) => [tool.definition.name, tool]));
    const chat = this.graph.config.environment === 'chat';
    const runtime = new FlowRuntime(run, this.graph.inlinePrompts, this.library, tools, chat);
    let decision: RejectionDecision | undefined;
    if (run.entry === 'start' || !runtime.state.flow) this.begin(runtime);
    else {
      const resumed = await this.resume(runtime);
      if (typeof resumed === 'string') return resumed;
      decision = resumed.decision;
    }
    runtime.state.status = 'RUNNING';
    run.checkpoints.publish();
    return this.advance(runtime, decision);
  }

  private begin(runtime: FlowRuntime): void {
    const { run, state } = runtime;
    state.flow = { context: initialFlowContext(run, this.graph.config.flow.inputs), at: this.graph.entryPoint };
    const chat = this.graph.config.environment === 'chat';
    state.ui_chat_log.push(
      chat
        ? logEntry('user', run.start.goal, { message_id: `user-${randomUUID()}` })
        : logEntry('tool', `Starting Flow: ${run.start.goal}`, { message_id: `tool-${randomUUID()}` }),
    );
  }

  /** The next call of a session: the answer it brings goes where the flow waits. */
  private async resume(runtime: FlowRuntime): Promise<{ decision?: RejectionDecision } | CheckpointStatus> {
    const { run, state } = runtime;
    const progress = state.flow as FlowProgress;
    if (state.pending_approval) return { decision: takeApprovalDecision(run).rejection };
    if (progress.waiting) {
      const response = await userResponseOf(run);
      if (response === 'stop') return 'STOPPED';
      if (response === 'pause') return 'PAUSED';
      this.applyResponse(runtime, progress, response);
      return {};
    }
    if ((progress.at === END || progress.at === ABORT) && run.start.goal && this.graph.config.environment === 'chat') {
      this.addUserMessage(runtime, this.graph.entryPoint, run.start.goal);
      progress.at = this.graph.entryPoint;
    }
    return {};
  }

  private applyResponse(runtime: FlowRuntime, progress: FlowProgress, response: HumanResponse): void {
    const waiting = progress.waiting;
    delete progress.waiting;
    const component = this.graph.components.get(progress.at);
    if (waiting === 'human_input' && component instanceof HumanInputComponent) {
      component.respond(runtime, response);
      progress.at = this.graph.next(progress.at, runtime.view());
      return;
    }
    const text = 'message' in response ? response.message : '';
    if (!text)
      throw new AppError(ErrorCode.BadRequest, 'Empty user input: a message is required to resume this workflow.');
    this.addUserMessage(runtime, progress.at, text);
  }

  private addUserMessage(runtime: FlowRuntime, component: string, text: string): void {
    (runtime.state.conversation_history[component] ??= []).push({ role: 'user', content: text });
    runtime.state.ui_chat_log.push(
      logEntry('user', text, { message_id: `user-${randomUUID()}`, component_name: component }),
    );
  }

  private async advance(runtime: FlowRuntime, decision: RejectionDecision | undefined): Promise<CheckpointStatus> {
    const { run } = runtime;
    const progress = runtime.progress;
    let pendingDecision = decision;
    for (;;) {
      if (progress.at === END) return 'FINISHED';
      const component = this.graph.components.get(progress.at);
      if (progress.at === ABORT || !component) throw new FlowAborted(progress.at);
      run.budget.take();
      const outcome = await component.run(runtime, pendingDecision);
      pendingDecision = undefined;
      if (outcome === 'approval') return 'TOOL_CALL_APPROVAL_REQUIRED';
      if (outcome === 'input') return 'INPUT_REQUIRED';
      const next = this.graph.next(progress.at, runtime.view());
      const from = progress.at;
      progress.at = next;
      if (next === ABORT) throw new FlowAborted(from);
      await run.checkpoints.persist();
    }
  }
}
