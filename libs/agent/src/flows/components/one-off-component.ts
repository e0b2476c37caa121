import { logEntry } from '../../checkpoint/workflow-state';
import { AgentSpec } from '../../loop/agent-loop';
import { argsOf } from '../../loop/tool-runner';
import { redactSecretsDeep } from '../../security/secret-redaction';
import { FlowComponent, FlowRuntime, PromptRef, StepOutcome } from '../flow-runtime';
import { StatePath } from '../state-path';
import { BuildContext, promptRefOf, ToolsetEntry, toolsetOf } from './build-context';
import { ComponentFields } from './component-fields';

const EVENTS = ['on_tool_call_input', 'on_tool_execution_success', 'on_tool_execution_failed', 'on_agent_reasoning'];

const NO_TOOL_CALL = 'You must respond with one or more tool calls that complete the task. Do not answer in text.';
const CORRECTION = 'Some tool calls failed (see their results). Call the tools again with corrected arguments.';

/**
 * `OneOffComponent` (§6.1): one round of tool calls chosen by the model; failed calls go back to the model for
 * correction, up to `max_correction_attempts` times. Outputs `context:<name>.tool_calls`, `.tool_responses`
 * and `.execution_result`.
 */
export class OneOffComponent implements FlowComponent {
  readonly type = 'OneOffComponent';

  private constructor(
    readonly name: string,
    private readonly prompt: PromptRef,
    private readonly inputs: StatePath[],
    private readonly toolset: ToolsetEntry[],
    private readonly attempts: number,
    private readonly events: ReadonlySet<string>,
  ) {}

  static parse(fields: ComponentFields, build: BuildContext): OneOffComponent {
    const inputs = fields.inputs(['context:goal']);
    const prompt = promptRefOf(fields, inputs, build);
    const toolset = toolsetOf(fields, build, true);
    const attempts = fields.integer('max_correction_attempts', 3, 0, 'max_correction_attempts must be at least 0.');
    return new OneOffComponent(fields.name, prompt, inputs, toolset, attempts as number, fields.events(EVENTS));
  }

  async run(runtime: FlowRuntime): Promise<StepOutcome> {
    const spec = this.spec(runtime);
    const rendered = runtime.prompt(this.prompt).render(runtime.inputValues(this.inputs));
    const history = (runtime.state.conversation_history[this.name] = rendered.user
      ? [{ role: 'user', content: rendered.user }]
      : []);
    const calls: Array<{ name: string; args: unknown }> = [];
    const responses: string[] = [];
    let result: 'success' | 'failed' = 'failed';
    for (let attempt = 0; attempt <= this.attempts; attempt += 1) {
      const turn = await runtime.run.loop.turn(spec, history);
      if (turn.toolCalls.length === 0) {
        history.push({ role: 'user', content: NO_TOOL_CALL });
        continue;
      }
      if (this.events.has('on_tool_call_input')) this.logPending(runtime, turn.toolCalls);
      const outcomes = await runtime.run.loop.runCalls(spec, history, turn.toolCalls);
      for (const outcome of outcomes) {
        calls.push({ name: outcome.call.name, args: safeArgs(outcome.call) });
        responses.push(outcome.message.content);
      }
      await runtime.run.checkpoints.persist();
      if (outcomes.every((outcome) => !outcome.failed)) {
        result = 'success';
        break;
      }
      history.push({ role: 'user', content: CORRECTION });
    }
    runtime.setOutput(this.name, 'tool_calls', calls);
    runtime.setOutput(this.name, 'tool_responses', responses);
    runtime.setOutput(this.name, 'execution_result', result);
    return 'next';
  }

  private spec(runtime: FlowRuntime): AgentSpec {
    return {
      name: this.name,
      componentName: this.name,
      systemPrompt: runtime.prompt(this.prompt).render(runtime.inputValues(this.inputs)).system,
      tools: this.toolset.flatMap(({ name, options }) => {
        const tool = runtime.tool(name);
        if (!tool) return [];
        return [
          Object.keys(options).length === 0
            ? tool
            : { ...tool, run: (args, context) => tool.run({ ...args, ...options }, context) },
        ];
      }),
      streamText: false,
      approval: 'none',
      uiLog: {
        finalAnswer: this.events.has('on_agent_reasoning'),
        reasoning: this.events.has('on_agent_reasoning'),
        toolSuccess: this.events.has('on_tool_execution_success'),
        toolFailure: this.events.has('on_tool_execution_failed'),
      },
    };
  }

  /** `on_tool_call_input`: a pending entry per call, replaced by its result under the same message id. */
  private logPending(runtime: FlowRuntime, calls: Array<{ id: string; name: string; arguments: string }>): void {
    for (const call of calls) {
      runtime.state.ui_chat_log.push(
        logEntry('tool', `Using ${call.name}`, {
          message_id: call.id,
          status: 'pending',
          component_name: this.name,
          tool_info: { name: call.name, args: redactSecretsDeep(safeArgs(call)) },
        }),
      );
    }
    runtime.run.checkpoints.publish();
  }
}

function safeArgs(call: { name: string; arguments: string; id: string }): Record<string, unknown> {
  try {
    return argsOf(call);
  } catch {
    return {};
  }
}
