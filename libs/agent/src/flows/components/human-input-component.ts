import { randomUUID } from 'node:crypto';
import { logEntry } from '../../checkpoint/workflow-state';
import { FlowComponent, FlowRuntime, StepOutcome } from '../flow-runtime';
import { PromptTemplate } from '../prompt-template';
import { FlowConfigError, StatePath } from '../state-path';
import { ComponentFields } from './component-fields';

const EVENTS = ['on_user_input_prompt', 'on_user_response'];
const INTERACTIONS = ['approval', 'input'];
const REJECTED = 'User rejected this action. Do not proceed and stop any tool execution in progress.';

/** The user's answer to a waiting HumanInputComponent (upstream's flow events). */
export type HumanResponse =
  | { kind: 'approve' }
  | { kind: 'reject' }
  | { kind: 'modify'; message: string }
  | { kind: 'response'; message: string };

/**
 * `HumanInputComponent` (§6.1, §6.3): shows `message_template` as a `request` entry (sub-type = the interaction
 * type), sets the flow to INPUT_REQUIRED and ends the call; the next call (or the events API) brings the answer,
 * which goes to `sends_response_to`'s conversation and `context:<name>.approval`.
 */
export class HumanInputComponent implements FlowComponent {
  readonly type = 'HumanInputComponent';

  private constructor(
    readonly name: string,
    readonly sendsResponseTo: string,
    private readonly message: PromptTemplate,
    private readonly interaction: string,
    private readonly inputs: StatePath[],
    private readonly events: ReadonlySet<string>,
  ) {}

  static parse(fields: ComponentFields): HumanInputComponent {
    const sendsResponseTo = fields.requiredString('sends_response_to');
    const source = fields.requiredString('message_template');
    const interaction = fields.optionalString('interaction_type') ?? 'approval';
    if (!INTERACTIONS.includes(interaction)) {
      throw new FlowConfigError("Input should be 'approval' or 'input'", fields.at('interaction_type'));
    }
    let message: PromptTemplate;
    try {
      message = new PromptTemplate(`${fields.name}.message_template`, { user: source });
    } catch (error) {
      throw fields.valueError(`message_template is not a valid template: ${(error as Error).message}`);
    }
    const events = fields.has('ui_log_events') ? fields.events(EVENTS) : new Set(EVENTS);
    return new HumanInputComponent(fields.name, sendsResponseTo, message, interaction, fields.inputs([]), events);
  }

  async run(runtime: FlowRuntime): Promise<StepOutcome> {
    if (this.events.has('on_user_input_prompt')) {
      const content = this.message.render(runtime.inputValues(this.inputs)).user ?? '';
      runtime.state.ui_chat_log.push(
        logEntry('request', content, {
          message_id: `request-${randomUUID()}`,
          message_sub_type: this.interaction,
          component_name: this.name,
        }),
      );
    }
    runtime.progress.waiting = 'human_input';
    return 'input';
  }

  /** Applies the answer; the flow then follows this component's router. */
  respond(runtime: FlowRuntime, response: HumanResponse): void {
    const history = (runtime.state.conversation_history[this.sendsResponseTo] ??= []);
    if (response.kind === 'approve' || response.kind === 'reject') {
      runtime.setOutput(this.name, 'approval', response.kind);
      if (response.kind === 'reject') {
        history.push({ role: 'user', content: REJECTED });
        this.logResponse(runtime, 'Action rejected.');
      }
      return;
    }
    if (response.kind === 'modify') runtime.setOutput(this.name, 'approval', 'modify');
    history.push({ role: 'user', content: response.message });
    this.logResponse(runtime, response.message);
  }

  private logResponse(runtime: FlowRuntime, content: string): void {
    if (!this.events.has('on_user_response')) return;
    runtime.state.ui_chat_log.push(
      logEntry('user', content, { message_id: `user-${randomUUID()}`, component_name: this.name }),
    );
  }
}
