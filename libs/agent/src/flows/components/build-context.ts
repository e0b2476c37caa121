import { ToolDefinition } from '@app/models';
import { FlowConfig } from '../flow-config';
import { PromptRef } from '../flow-runtime';
import { PromptLibrary } from '../prompt-library';
import { PromptTemplate, RUNTIME_VARIABLES } from '../prompt-template';
import { StatePath, variableName } from '../state-path';
import { ComponentFields } from './component-fields';

/** What building a flow checks components against. */
export interface BuildContext {
  config: FlowConfig;
  /** Every tool this server has, with its argument variants. */
  directory: ReadonlyMap<string, ToolDefinition[]>;
  inlinePrompts: ReadonlyMap<string, PromptTemplate>;
  library: PromptLibrary;
  strict: {
    /**
     * Our own registry files: unknown toolset entries are errors. A customer's flow may name tools of its MCP
     * servers, which only a session knows, so there they are dropped at run time, as upstream does.
     */
    tools: boolean;
    /** Inputs no prompt variable reads are errors (upstream's dry-run validation); a running flow ignores them. */
    variables: boolean;
  };
}

/** One entry of a component's `toolset`: a name, or `{name: {option: value}}` overriding the model's arguments. */
export interface ToolsetEntry {
  name: string;
  options: Record<string, unknown>;
}

export function toolsetOf(fields: ComponentFields, build: BuildContext, required: boolean): ToolsetEntry[] {
  const raw = fields.value('toolset');
  if (raw === undefined || raw === null) {
    if (required) throw fields.valueError('toolset is required');
    return [];
  }
  if (!Array.isArray(raw)) throw fields.valueError('toolset must be a list');
  return raw.flatMap((item): ToolsetEntry[] => {
    if (typeof item === 'string') return [checkedTool({ name: item, options: {} }, fields, build)];
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      return Object.entries(item as Record<string, unknown>).map(([name, options]) =>
        checkedTool({ name, options: (options ?? {}) as Record<string, unknown> }, fields, build),
      );
    }
    throw fields.valueError('toolset items must be tool names or {tool_name: {option: value}}');
  });
}

function checkedTool(entry: ToolsetEntry, fields: ComponentFields, build: BuildContext): ToolsetEntry {
  const variants = build.directory.get(entry.name);
  if (!variants) {
    if (build.strict.tools) throw fields.valueError(`Tool '${entry.name}' is not a tool of this server`);
    return entry;
  }
  const parameters = new Set(variants.flatMap((variant) => Object.keys(variant.parameters.properties ?? {})));
  for (const option of Object.keys(entry.options)) {
    if (!parameters.has(option)) throw fields.valueError(`Tool '${entry.name}' has no parameter '${option}'`);
  }
  return entry;
}

/** The component's prompt: must exist, and its variables must match the inputs (upstream's checks). */
export function promptRefOf(fields: ComponentFields, inputs: StatePath[], build: BuildContext): PromptRef {
  const id = fields.requiredString('prompt_id');
  const version = fields.optionalString('prompt_version');
  const templates =
    version === undefined ? [build.inlinePrompts.get(id)].filter(Boolean) : build.library.variants(id, version);
  if (templates.length === 0) {
    throw fields.valueError(
      version === undefined
        ? `Prompt '${id}' is not defined in the flow's prompts`
        : `Prompt '${id}' version '${version}' is not in the prompt library`,
    );
  }
  for (const template of templates as PromptTemplate[])
    checkVariables(fields, id, template, inputs, build.strict.variables);
  return { id, version };
}

function checkVariables(
  fields: ComponentFields,
  id: string,
  template: PromptTemplate,
  inputs: StatePath[],
  strict: boolean,
) {
  const optional = new Set(inputs.filter((input) => input.optional).map(variableName));
  const required = [...template.requiredVariables].filter(
    (name) => !RUNTIME_VARIABLES.has(name) && !optional.has(name),
  );
  const provided = inputs.filter((input) => !input.optional).map(variableName);
  const missing = required.filter((name) => !provided.includes(name)).sort();
  if (missing.length > 0) {
    throw fields.valueError(`Component '${fields.name}' (prompt '${id}'): missing input variables: ${pyList(missing)}`);
  }
  const extra = [...new Set(provided.filter((name) => !required.includes(name)))].sort();
  if (strict && extra.length > 0) {
    throw fields.valueError(
      `Component '${fields.name}' (prompt '${id}'): extra input variables not present in template: ${pyList(extra)}`,
    );
  }
}

/** A list as Python prints it, the way upstream's messages show names. */
export const pyList = (items: readonly string[]) => `[${items.map((item) => `'${item}'`).join(', ')}]`;
