import nunjucks from 'nunjucks';
import { AppError, ErrorCode } from '@app/common';
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

  /** One message per template, in file order; throws 422 when a required input is missing (http-api.md §3.3). */
  render(inputs: Record<string, unknown>): ChatMessage[] {
    const missing = this.requiredInputs.filter((name) => !(name in inputs));
    if (missing.length > 0) throw missingVariables(missing, this.requiredInputs, Object.keys(inputs));
    return this.templates.map(({ role, template }) => ({ role, content: template.render(inputs) }));
  }

  /** Renders one role's template alone, for callers that assemble the conversation themselves (ReAct). */
  renderRole(role: PromptRole, inputs: Record<string, unknown>): string | undefined {
    return this.templates.find((template) => template.role === role)?.template.render(inputs);
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
