import { randomUUID } from 'node:crypto';
import { logEntry } from '../../checkpoint/workflow-state';
import { AgentOutcome, AgentSpec, RejectionDecision } from '../../loop/agent-loop';
import { defineTool, stringArg, Tool } from '../../tools/tool';
import { FlowComponent, FlowRuntime, PromptRef, StepOutcome } from '../flow-runtime';
import { StatePath } from '../state-path';
import { BuildContext, promptRefOf, ToolsetEntry, toolsetOf } from './build-context';
import { ComponentFields } from './component-fields';

const EVENTS = [
  'on_agent_final_answer',
  'on_agent_reasoning',
  'on_tool_execution_success',
  'on_tool_execution_failed',
  'on_tool_approval_request',
];

/** How an agent component ends: this tool, or an answer without tool calls (weaker models often do that). */
const finalResponseTool = defineTool(
  'final_response_tool',
  'Give your final answer once the task is complete. Call it alone, after all other tools.',
  { final_response: stringArg('Your final answer') },
  ['final_response'],
  async (args) => String(args.final_response),
  { internal: true, ends: 'handover' },
);

/** The parts of an agent a supervisor needs to delegate to it. */
export interface AgentParts {
  name: string;
  description?: string;
  prompt: PromptRef;
  inputs: StatePath[];
  toolset: ToolsetEntry[];
  events: ReadonlySet<string>;
  maxCycles: number;
  approval: AgentSpec['approval'];
}

/** Parses the fields every agent-style component shares. */
export function agentPartsOf(fields: ComponentFields, build: BuildContext): AgentParts {
  const inputs = fields.inputs(['context:goal']);
  const requireApproval = fields.boolean('require_tool_approval', false);
  const preApproved = fields.stringList('pre_approved_tools');
  return {
    name: fields.name,
    description: fields.optionalString('description'),
    prompt: promptRefOf(fields, inputs, build),
    inputs,
    toolset: toolsetOf(fields, build, false),
    events: fields.events(EVENTS),
    maxCycles: fields.integer('max_cycles', 280, 1, 'max_cycles must be at least 1.') as number,
    approval: requireApproval ? { exempt: new Set(preApproved) } : 'none',
  };
}

/**
 * `AgentComponent` (§6.1): the model with the component's prompt and toolset, looping over tool calls until
 * it gives its final answer (`context:<name>.final_answer`), or a tool call waits for approval.
 */
export class AgentComponent implements FlowComponent {
  readonly type = 'AgentComponent';
  readonly name: string;

  constructor(protected readonly parts: AgentParts) {
    this.name = parts.name;
  }

  static parse(fields: ComponentFields, build: BuildContext): AgentComponent {
    return new AgentComponent(agentPartsOf(fields, build));
  }

  get description(): string | undefined {
    return this.parts.description;
  }

  get agentParts(): AgentParts {
    return this.parts;
  }

  async run(runtime: FlowRuntime, decision?: RejectionDecision): Promise<StepOutcome> {
    const spec = agentSpec(runtime, this.parts, this.name, this.extraTools(runtime));
    seedConversation(runtime, this.parts, this.name);
    return finish(runtime, this.parts, await runtime.run.loop.run(spec, decision));
  }

  /** Tools a subclass adds (a supervisor's `delegate_task`). */
  protected extraTools(_runtime: FlowRuntime): Tool[] {
    return [];
  }
}

/** The loop's view of an agent: its rendered system prompt and the session's share of its toolset. */
export function agentSpec(runtime: FlowRuntime, parts: AgentParts, conversation: string, extra: Tool[]): AgentSpec {
  const prompt = runtime.prompt(parts.prompt).render(runtime.inputValues(parts.inputs));
  const tools = parts.toolset.flatMap(({ name, options }) => {
    const tool = runtime.tool(name);
    if (!tool) return [];
    if (Object.keys(options).length === 0) return [tool];
    return [{ ...tool, run: (args, context) => tool.run({ ...args, ...options }, context) } satisfies Tool];
  });
  // Upstream gives chat flows every MCP tool of the session; ambient flows only what they list.
  const mcp = runtime.chatEnvironment ? runtime.run.tools.filter((tool) => tool.mcp && !tools.includes(tool)) : [];
  return {
    name: conversation,
    componentName: parts.name,
    systemPrompt: prompt.system,
    tools: [...tools, ...mcp, ...extra, finalResponseTool],
    streamText: runtime.streaming,
    maxCycles: parts.maxCycles,
    approval: parts.approval,
    uiLog: {
      finalAnswer: parts.events.has('on_agent_final_answer'),
      reasoning: parts.events.has('on_agent_reasoning'),
      toolSuccess: parts.events.has('on_tool_execution_success'),
      toolFailure: parts.events.has('on_tool_execution_failed'),
    },
  };
}

/**
 * The conversation starts with the prompt's `user` message, rendered at the first visit; what other components
 * sent before that (a HumanInputComponent's answer) follows it.
 */
function seedConversation(runtime: FlowRuntime, parts: AgentParts, conversation: string): void {
  const seeded = (runtime.progress.seeded ??= []);
  if (seeded.includes(conversation)) return;
  seeded.push(conversation);
  const user = runtime.prompt(parts.prompt).render(runtime.inputValues(parts.inputs)).user;
  if (user) (runtime.state.conversation_history[conversation] ??= []).unshift({ role: 'user', content: user });
}

function finish(runtime: FlowRuntime, parts: AgentParts, outcome: AgentOutcome): StepOutcome {
  if (outcome.kind === 'approval') return 'approval';
  if (outcome.kind === 'input') {
    runtime.state.ui_chat_log.push(
      logEntry('request', outcome.question, { message_id: randomUUID(), component_name: parts.name }),
    );
    runtime.progress.waiting = 'agent_input';
    return 'input';
  }
  const answer = outcome.kind === 'done' ? outcome.text : outcome.summary;
  runtime.setOutput(parts.name, 'final_answer', answer);
  // A text answer was logged by the model turn; an answer given through a tool is logged here.
  if (outcome.kind === 'handover' && parts.events.has('on_agent_final_answer')) {
    runtime.state.ui_chat_log.push(
      logEntry('agent', answer, { message_id: randomUUID(), component_name: parts.name, status: 'success' }),
    );
  }
  return 'next';
}
