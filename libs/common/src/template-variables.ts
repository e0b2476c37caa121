import nunjucks from 'nunjucks';

/** The slice of nunjucks' (undocumented) AST this scan reads. */
interface AstNode {
  typename: string;
  fields: string[];
  [field: string]: unknown;
}

/** nunjucks exports its parser at runtime, but its type definitions leave it out. */
const { parser } = nunjucks as unknown as { parser: { parse(source: string): AstNode } };

interface Scope {
  bound: ReadonlySet<string>;
  guarded: ReadonlySet<string>;
}

/**
 * Names a template reads without a guard, i.e. the inputs a caller must pass. A name is guarded —
 * optional — inside `{% if name %}` (and its else), as `name is defined`, or as `name | default(…)`;
 * loop variables and `{% set %}` targets are not inputs. Includes are followed.
 */
export function requiredVariables(source: string, readPartial: (name: string) => string): Set<string> {
  const required = new Set<string>();
  const visit = (node: unknown, scope: Scope): void => {
    if (!isNode(node)) return;
    switch (node.typename) {
      case 'Symbol': {
        const name = node.value as string;
        if (!scope.bound.has(name) && !scope.guarded.has(name)) required.add(name);
        return;
      }
      case 'If':
      case 'InlineIf': {
        const inner = { ...scope, guarded: union(scope.guarded, symbolsIn(node.cond)) };
        for (const field of ['cond', 'body', 'else_']) visit(node[field], inner);
        return;
      }
      case 'Is':
        return visit(node.left, { ...scope, guarded: union(scope.guarded, symbolsIn(node.left)) });
      case 'Filter':
        return visitFilter(node, scope);
      case 'For': {
        visit(node.arr, scope);
        const loopScope = { ...scope, bound: union(scope.bound, [...symbolsIn(node.name), 'loop']) };
        visit(node.body, loopScope);
        return visit(node.else_, scope);
      }
      case 'Set':
        visit(node.value, scope);
        for (const name of symbolsIn(node.targets)) (scope.bound as Set<string>).add(name);
        return;
      case 'Include': {
        const template = node.template as AstNode;
        if (template.typename !== 'Literal') throw new Error('{% include %} needs a literal template name');
        return visit(parser.parse(readPartial(template.value as string)), scope);
      }
      default:
        for (const field of node.fields) visitAll(node[field], scope);
    }
  };
  const visitAll = (value: unknown, scope: Scope) =>
    Array.isArray(value) ? value.forEach((child) => visit(child, scope)) : visit(value, scope);
  const visitFilter = (node: AstNode, scope: Scope) => {
    const args = (node.args as AstNode).children as unknown[];
    const isDefault = (node.name as AstNode).value === 'default';
    const [subject, ...rest] = args;
    visit(subject, isDefault ? { ...scope, guarded: union(scope.guarded, symbolsIn(subject)) } : scope);
    rest.forEach((child) => visit(child, scope));
  };

  visit(parser.parse(source), { bound: new Set(), guarded: new Set() });
  return required;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'typename' in value;
}

function symbolsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(symbolsIn);
  if (!isNode(node)) return [];
  if (node.typename === 'Symbol') return [node.value as string];
  return node.fields.flatMap((field) => symbolsIn(node[field]));
}

const union = (set: ReadonlySet<string>, names: string[]) => new Set([...set, ...names]);
