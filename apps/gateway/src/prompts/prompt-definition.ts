import nunjucks from 'nunjucks';
import { AppError, ErrorCode, Traces } from '@app/common';
import { ChatMessage, GenerationParams } from '@app/models';

export type PromptRole = 'system' | 'user' | 'assistant';

export interface PromptMessageTemplate {
  role: PromptRole;
  template: nunjucks.Template;
}

export interface PromptDefinitionInit {
  id: string;
  family: string;
  version: string;
  name: string;
  unitPrimitives: string[];
  params: GenerationParams;
  templates: PromptMessageTemplate[];
  /** Inputs the templates read without a guard (see libs/common template-variables.ts). */
  requiredInputs: string[];
}

/** One version of one prompt for one model family, ready to render. */
export class PromptDefinition {
  readonly id: string;
  readonly family: string;
  readonly version: string;
  /** Shown to clients as `model.name`. */
  readonly name: string;
  readonly unitPrimitives: string[];
  readonly params: GenerationParams;
  private readonly templates: PromptMessageTemplate[];
  private readonly requiredInputs: string[];

  constructor(init: PromptDefinitionInit) {
    this.id = init.id;
    this.family = init.family;
    this.version = init.version;
    this.name = init.name;
    this.unitPrimitives = init.unitPrimitives;
    this.params = init.params;
    this.templates = init.templates;
    this.requiredInputs = init.requiredInputs;
  }

  /** The same prompt with some parameters replaced (e.g. `AIGW_DUO_CHAT__MAX_TOKENS`). */
  withParams(params: Partial<GenerationParams>): PromptDefinition {
    return new PromptDefinition({
      ...this,
      params: { ...this.params, ...params },
      templates: this.templates,
      requiredInputs: this.requiredInputs,
    });
  }

  /** One message per template, in file order; throws 422 when a required input is missing (http-api.md §3.3). */
  render(inputs: Record<string, unknown>): ChatMessage[] {
    const missing = this.requiredInputs.filter((name) => !(name in inputs));
    if (missing.length > 0) throw missingVariables(missing, this.requiredInputs, Object.keys(inputs));
    const span = Traces.enabled ? Traces.start('prompt.render', this.spanAttributes()) : undefined;
    try {
      const messages = this.templates.map(({ role, template }) => ({ role, content: template.render(inputs) }));
      if (span && Traces.recordContent) span.setAttribute('aigw.prompt.messages', JSON.stringify(messages));
      Traces.end(span);
      return messages;
    } catch (error) {
      Traces.end(span, error);
      throw error;
    }
  }

  /** Renders one role's template alone, for callers that assemble the conversation themselves (ReAct). */
  renderRole(role: PromptRole, inputs: Record<string, unknown>): string | undefined {
    const span = Traces.enabled
      ? Traces.start('prompt.render', { ...this.spanAttributes(), 'aigw.prompt.role': role })
      : undefined;
    try {
      const text = this.templates.find((template) => template.role === role)?.template.render(inputs);
      Traces.end(span);
      return text;
    } catch (error) {
      Traces.end(span, error);
      throw error;
    }
  }

  private spanAttributes() {
    return { 'aigw.prompt.id': this.id, 'aigw.prompt.family': this.family, 'aigw.prompt.version': this.version };
  }
}

/** LangChain's wording, which clients match on (http-api.md §3.3). */
function missingVariables(missing: string[], expected: string[], received: string[]): AppError {
  const set = `{${missing.map(quote).join(', ')}}`;
  const list = (names: string[]) => `[${names.map(quote).join(', ')}]`;
  return new AppError(
    ErrorCode.InvalidInput,
    `Input to ChatPromptTemplate is missing variables ${set}.  Expected: ${list(expected)} Received: ${list(received)}`,
  );
}

const quote = (name: string) => `'${name}'`;
