import { defineTool, intArg, stringArg, Tool } from '../../tools/tool';
import { ToolError } from '../../tools/tool-error';
import { FlowRuntime } from '../flow-runtime';
import { AgentComponent, AgentParts, agentPartsOf, agentSpec } from './agent-component';
import { BuildContext } from './build-context';
import { ComponentFields } from './component-fields';

/**
 * An `AgentComponent` with `subagents` (supervisor mode): besides its own tools it gets `delegate_task`, which
 * runs a sub-agent's loop in a numbered sub-session and hands its final answer back as the tool result. Sub-agents
 * are components of the same flow with a `description`; they are not routable on their own.
 */
export class SupervisorComponent extends AgentComponent {
  constructor(
    parts: AgentParts,
    readonly subagentNames: readonly string[],
    private readonly maxDelegations: number | undefined,
    private subagents: ReadonlyMap<string, AgentParts> = new Map(),
  ) {
    super(parts);
  }

  static override parse(fields: ComponentFields, build: BuildContext): SupervisorComponent {
    const raw = fields.value('subagents');
    if (!Array.isArray(raw) || raw.length === 0) throw fields.valueError('subagents must contain at least one entry');
    const names = raw.map((entry) => {
      const name = (entry as { name?: unknown } | null)?.name;
      if (typeof name !== 'string') throw fields.valueError("every subagents entry needs a 'name'");
      return name;
    });
    const maxDelegations = fields.integer('max_delegations', undefined, 1, 'max_delegations must be at least 1.');
    return new SupervisorComponent(agentPartsOf(fields, build), names, maxDelegations);
  }

  /** Called once every component is parsed: the sub-agents this supervisor delegates to. */
  bind(subagents: ReadonlyMap<string, AgentParts>): void {
    this.subagents = subagents;
  }

  protected override extraTools(runtime: FlowRuntime): Tool[] {
    return [this.delegateTool(runtime)];
  }

  private delegateTool(runtime: FlowRuntime): Tool {
    const names = [...this.subagents.keys()];
    const catalogue = [...this.subagents.values()].map((agent) => `- ${agent.name}: ${agent.description}`).join('\n');
    return defineTool(
      'delegate_task',
      `Hand a task to one of your sub-agents and get its final answer back. Sub-agents:\n${catalogue}`,
      {
        subagent_name: { type: 'string', enum: names, description: 'The sub-agent to delegate to' },
        prompt: stringArg('The task, with everything the sub-agent needs: it does not see your conversation'),
        subsession_id: intArg('Continue an earlier delegation to the same sub-agent (the id its answer gave)'),
      },
      ['subagent_name', 'prompt'],
      (args) => this.delegate(runtime, String(args.subagent_name), String(args.prompt), args.subsession_id),
      { internal: true },
    );
  }

  private async delegate(runtime: FlowRuntime, name: string, prompt: string, subsession: unknown): Promise<string> {
    const subagent = this.subagents.get(name);
    if (!subagent)
      throw new ToolError(`Unknown sub-agent '${name}'. Use one of: ${[...this.subagents.keys()].join(', ')}`);
    const counts = (runtime.progress.subsessions ??= {});
    const delegations = Object.entries(counts)
      .filter(([key]) => key.startsWith(`${this.name}/`))
      .reduce((sum, [, count]) => sum + count, 0);
    if (this.maxDelegations !== undefined && delegations >= this.maxDelegations) {
      throw new ToolError(
        `The delegation limit (${this.maxDelegations}) is reached: give your final answer with final_response_tool`,
      );
    }
    const key = `${this.name}/${name}`;
    const id = subsession === undefined || subsession === null ? (counts[key] ?? 0) + 1 : Number(subsession);
    if (!Number.isInteger(id) || id < 1 || id > (counts[key] ?? 0) + 1)
      throw new ToolError(`Unknown subsession_id ${String(subsession)}`);
    counts[key] = Math.max(counts[key] ?? 0, id);
    const conversation = `${key}/${id}`;
    (runtime.state.conversation_history[conversation] ??= []).push({ role: 'user', content: prompt });
    const spec = { ...agentSpec(runtime, subagent, conversation, []), approval: 'none' as const };
    const outcome = await runtime.run.loop.run(spec);
    if (outcome.kind !== 'done' && outcome.kind !== 'handover') {
      throw new ToolError(`Sub-agent '${name}' stopped to ask the user, which a delegated task cannot do`);
    }
    const answer = outcome.kind === 'done' ? outcome.text : outcome.summary;
    return `${answer}\n\n(subsession_id: ${id})`;
  }
}
