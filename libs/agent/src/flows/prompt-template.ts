import nunjucks from 'nunjucks';
import { requiredVariables } from '@app/common';

/** Variables every prompt gets without a component input (upstream's `RUNTIME_INJECTED_VARS`). */
export const RUNTIME_VARIABLES = new Set(['history', 'current_date', 'current_time', 'current_timezone']);

/** The rendered messages a component starts its conversation with. */
export interface RenderedPrompt {
  system: string;
  user?: string;
}

/**
 * A prompt's `system`/`user` templates (Jinja syntax through nunjucks: undefined renders empty, no escaping).
 * `partials` resolves `{% include %}`; inline prompts of a flow get none, so they cannot read files.
 */
export class PromptTemplate {
  readonly requiredVariables: ReadonlySet<string>;
  private readonly system?: nunjucks.Template;
  private readonly user?: nunjucks.Template;

  constructor(
    readonly id: string,
    sections: Record<string, string>,
    partials?: { environment: nunjucks.Environment; read: (name: string) => string },
  ) {
    const environment = partials?.environment ?? new nunjucks.Environment(null, { autoescape: false });
    const readPartial = partials?.read ?? rejectInclude;
    // A flow's own prompts come from users: nunjucks compiles to JavaScript, so only data access is allowed.
    if (!partials) Object.values(sections).forEach(assertDataOnly);
    const compile = (source: string | undefined) =>
      source === undefined ? undefined : new nunjucks.Template(dropTrailingNewline(source), environment, id, true);
    this.system = compile(sections.system);
    this.user = compile(sections.user);
    const sources = [sections.system, sections.user].filter((source): source is string => source !== undefined);
    this.requiredVariables = new Set(sources.flatMap((source) => [...requiredVariables(source, readPartial)]));
  }

  render(variables: Record<string, unknown>): RenderedPrompt {
    const now = new Date();
    const context = {
      current_date: now.toISOString().slice(0, 10),
      current_time: now.toISOString().slice(11, 19),
      current_timezone: 'UTC',
      ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, withJsonText(value)])),
    };
    return { system: this.system?.render(context) ?? '', user: this.user?.render(context) };
  }
}

/** The slice of nunjucks' (undocumented) AST the check reads. */
interface AstNode {
  typename: string;
  fields: string[];
  [field: string]: unknown;
}

const { parser } = nunjucks as unknown as { parser: { parse(source: string): AstNode } };

/** Node types of templates that only read and format data: no calls, includes, macros or extensions. */
const DATA_NODES = new Set([
  'Root',
  'NodeList',
  'Output',
  'TemplateData',
  'Literal',
  'Symbol',
  'Group',
  'Array',
  'Pair',
  'Dict',
  'If',
  'InlineIf',
  'In',
  'Is',
  'Or',
  'And',
  'Not',
  'Add',
  'Concat',
  'Sub',
  'Mul',
  'Div',
  'FloorDiv',
  'Mod',
  'Neg',
  'Pos',
  'Compare',
  'CompareOperand',
  'Filter',
  'KeywordArgs',
  'For',
  'Set',
  'LookupVal',
]);

/**
 * Refuses a template that could run code on the gateway: function calls (`range.constructor("…")()` reaches
 * `Function`), lookups of `constructor`/`__proto__`-like or computed keys, includes, macros, extensions.
 */
function assertDataOnly(source: string): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object' || !('typename' in node)) return;
    const ast = node as AstNode;
    if (!DATA_NODES.has(ast.typename)) {
      throw new Error(`'${ast.typename}' is not allowed in a flow's prompts: they may only read and format data`);
    }
    if (ast.typename === 'LookupVal') {
      const key = ast.val as AstNode;
      const name = key.typename === 'Literal' ? String(key.value) : undefined;
      if (
        name === undefined ||
        !/^[A-Za-z0-9][A-Za-z0-9_]*$/.test(name) ||
        ['constructor', 'prototype'].includes(name)
      ) {
        throw new Error(`the lookup [${name ?? 'computed'}] is not allowed in a flow's prompts`);
      }
    }
    ast.fields.forEach((field) => visit(ast[field]));
  };
  visit(parser.parse(source));
}

function rejectInclude(name: string): string {
  throw new Error(`{% include '${name}' %} is not available in a flow's own prompts`);
}

/** Jinja2 drops one trailing newline of a template (YAML block scalars end in one). */
export const dropTrailingNewline = (source: string) => (source.endsWith('\n') ? source.slice(0, -1) : source);

/**
 * Objects and lists render as JSON (nunjucks would print `[object Object]`); fields stay readable with
 * `{{ project.name }}` and loops, as in Jinja.
 */
function withJsonText(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? value.map(withJsonText)
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withJsonText(item)]));
  Object.defineProperty(copy, 'toString', { value: () => JSON.stringify(value), enumerable: false });
  return copy;
}
