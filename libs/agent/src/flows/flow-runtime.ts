import { CheckpointStatus, FlowProgress, WorkflowState } from '../checkpoint/workflow-state';
import { RejectionDecision } from '../loop/agent-loop';
import { Tool } from '../tools/tool';
import { WorkflowRun } from '../workflows/workflow';
import { PromptLibrary } from './prompt-library';
import { PromptTemplate } from './prompt-template';
import { FlowStateView, readStatePath, StatePath, variableName } from './state-path';

/** What a component's step leaves the flow in: go on along the routers, or wait for the user. */
export type StepOutcome = 'next' | 'input' | 'approval';

/** One component of a built flow; stateless: everything it keeps between steps lives in the flow state. */
export interface FlowComponent {
  readonly name: string;
  readonly type: string;
  /** `decision`: the user's answer to tool calls this component left waiting for approval. */
  run(runtime: FlowRuntime, decision?: RejectionDecision): Promise<StepOutcome>;
}

/** A component's prompt: inline in the flow (`prompt_version` absent) or from the prompt library. */
export interface PromptRef {
  id: string;
  version?: string;
}

/** Upstream's `WorkflowStatusEnum` values, as routers and inputs reading `status` compare them. */
const FLOW_STATUS: Record<CheckpointStatus, string> = {
  CREATED: 'Not Started',
  RUNNING: 'Execution',
  PAUSED: 'Paused',
  INPUT_REQUIRED: 'input_required',
  PLAN_APPROVAL_REQUIRED: 'plan_approval_required',
  TOOL_CALL_APPROVAL_REQUIRED: 'tool_call_approval_required',
  FINISHED: 'Completed',
  FAILED: 'Error',
  STOPPED: 'Cancelled',
};

/** Everything components need during one call of a flow. */
export class FlowRuntime {
  readonly state: WorkflowState;

  constructor(
    readonly run: WorkflowRun,
    private readonly inlinePrompts: ReadonlyMap<string, PromptTemplate>,
    private readonly library: PromptLibrary,
    /** Session tools (privileges, MCP) and the internal tools flows may list, by name. */
    private readonly tools: ReadonlyMap<string, Tool>,
    /** The flow's environment is `chat`. */
    readonly chatEnvironment = false,
  ) {
    this.state = run.checkpoints.state;
  }

  get progress(): FlowProgress {
    return this.state.flow as FlowProgress;
  }

  /** Registry flows stream model text only when the client asks (`streaming`, §4.6). */
  get streaming(): boolean {
    return this.run.start.streaming === true;
  }

  view(): FlowStateView {
    return {
      status: FLOW_STATUS[this.state.status],
      context: this.progress.context,
      conversation_history: this.state.conversation_history,
      ui_chat_log: this.state.ui_chat_log,
      agent_context_limits: Object.fromEntries(
        Object.entries(this.state.context_usage).map(([agent, usage]) => [agent, usage.max_tokens]),
      ),
    };
  }

  /** The inputs' values by template variable name; optional inputs that are absent are left out. */
  inputValues(inputs: readonly StatePath[]): Record<string, unknown> {
    const view = this.view();
    const values: Record<string, unknown> = {};
    for (const input of inputs) {
      const value = readStatePath(view, input);
      if (value !== undefined) values[variableName(input)] = value;
    }
    return values;
  }

  /** `context:<component>.<key>`. */
  setOutput(component: string, key: string, value: unknown): void {
    const context = this.progress.context;
    const own = (context[component] ??= {}) as Record<string, unknown>;
    own[key] = value;
  }

  tool(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  prompt(ref: PromptRef): PromptTemplate {
    const template =
      ref.version === undefined
        ? this.inlinePrompts.get(ref.id)
        : this.library.resolve(ref.id, ref.version, this.run.modelFamily);
    if (!template) throw new Error(`Prompt '${ref.id}' is not available`);
    return template;
  }
}
