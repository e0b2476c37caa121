import { randomUUID } from 'node:crypto';
import { ToolDefinition } from '@app/models';
import { ChatMessage } from '@app/models';
import { FlowComponent, FlowRuntime, StepOutcome } from '../flow-runtime';
import { StatePath, variableName } from '../state-path';
import { BuildContext, pyList } from './build-context';
import { ComponentFields } from './component-fields';

const EVENTS = ['on_tool_execution_success', 'on_tool_execution_failed'];
const TARGETS = ['context', 'conversation_history'];

/**
 * `DeterministicStepComponent` (§6.1): one tool call without the model, its arguments taken from the inputs
 * (each input's variable name is an argument). Outputs `context:<name>.tool_responses`, `.error` and
 * `.execution_result` (`success`/`failed`).
 */
export class DeterministicStepComponent implements FlowComponent {
  readonly type = 'DeterministicStepComponent';

  private constructor(
    readonly name: string,
    private readonly toolName: string,
    private readonly inputs: StatePath[],
    private readonly events: ReadonlySet<string>,
  ) {}

  static parse(fields: ComponentFields, build: BuildContext): DeterministicStepComponent {
    if (!fields.has('tool_name')) throw fields.valueError('tool_name is required');
    const toolName = fields.requiredString('tool_name');
    const inputs = fields.inputs([], TARGETS);
    const variants = build.directory.get(toolName);
    if (!variants) throw fields.valueError(`Tool '${toolName}' not found in toolset`);
    checkArguments(fields, toolName, variants, new Set(inputs.map(variableName)));
    return new DeterministicStepComponent(fields.name, toolName, inputs, fields.events(EVENTS));
  }

  async run(runtime: FlowRuntime): Promise<StepOutcome> {
    const args = runtime.inputValues(this.inputs);
    const tool = runtime.tool(this.toolName);
    const call = { id: `call_${randomUUID()}`, name: this.toolName, arguments: JSON.stringify(args) };
    const spec = {
      name: this.name,
      componentName: this.name,
      systemPrompt: '',
      tools: tool ? [tool] : [],
      streamText: false,
      uiLog: {
        finalAnswer: false,
        reasoning: false,
        toolSuccess: this.events.has('on_tool_execution_success'),
        toolFailure: this.events.has('on_tool_execution_failed'),
      },
    };
    const scratch: ChatMessage[] = [];
    const [outcome] = await runtime.run.loop.runCalls(spec, scratch, [call]);
    if (outcome.failed) {
      runtime.setOutput(this.name, 'error', outcome.message.content);
      runtime.setOutput(this.name, 'execution_result', 'failed');
    } else {
      runtime.setOutput(this.name, 'tool_responses', outcome.message.content);
      runtime.setOutput(this.name, 'execution_result', 'success');
    }
    return 'next';
  }
}

/**
 * The inputs must cover the tool's required arguments and name no others; a tool with variants (per client
 * capability) passes when any variant fits. Messages as upstream's.
 */
function checkArguments(fields: ComponentFields, tool: string, variants: ToolDefinition[], configured: Set<string>) {
  let firstError: string | undefined;
  for (const variant of variants) {
    const expected = Object.keys((variant.parameters.properties ?? {}) as object);
    const required = (variant.parameters.required ?? []) as string[];
    const missing = required.filter((name) => !configured.has(name)).sort();
    const unknown = [...configured].filter((name) => !expected.includes(name)).sort();
    const error =
      missing.length > 0
        ? `Missing required parameters: ${pyList(missing)}`
        : unknown.length > 0
          ? `Unknown parameters: ${pyList(unknown)}. Valid parameters are: ${pyList([...expected].sort())}`
          : undefined;
    if (!error) return;
    firstError ??= error;
  }
  throw fields.valueError(`Tool '${tool}' ${firstError}`);
}
