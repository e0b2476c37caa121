import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { FUNCTIONS, HelmRenderError, isMap, show, truthy } from './helm-functions';

export { HelmRenderError };

/**
 * `helm template` without helm (no binary here, no network): Go's text/template semantics for what charts use —
 * trim markers, comments, if/else if/else, with, range (lists and maps, `$k, $v :=`), define/include, variables,
 * pipelines, parenthesised calls — and the Helm/Sprig functions this chart calls. Values are validated against
 * values.schema.json first and merged over values.yaml as helm does (maps merge, lists replace, null deletes).
 * Unknown functions and field access through nil fail loudly, so a template this cannot render fails its test.
 */
export interface RenderOptions {
  values?: Record<string, unknown>;
  releaseName?: string;
  namespace?: string;
}

/** Every manifest of the chart's templates/ (NOTES.txt and `_` helpers excluded), by file. */
export function helmTemplate(
  chartDir: string,
  options: RenderOptions = {},
): Record<string, Array<Record<string, any>>> {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'));
  const defaults = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8'));
  const values = mergeValues(defaults, options.values ?? {});
  const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (!validate(values)) {
    const errors = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
    throw new HelmRenderError(`values don't meet the specifications of the schema: ${errors.join('; ')}`);
  }
  const dir = join(chartDir, 'templates');
  const files = readdirSync(dir).filter((file) => /\.(ya?ml|tpl|txt)$/.test(file));
  const engine = new Engine();
  for (const file of files) engine.load(readFileSync(join(dir, file), 'utf8'));
  const root = {
    Values: values,
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
    Release: { Name: options.releaseName ?? 'ai-gateway', Namespace: options.namespace ?? 'default', Service: 'Helm' },
    // Helm's `.Files.Get`: a file of the chart as text, empty when it does not exist.
    Files: {
      Get: (path: string) => (existsSync(join(chartDir, path)) ? readFileSync(join(chartDir, path), 'utf8') : ''),
    },
  };
  const rendered: Record<string, Array<Record<string, any>>> = {};
  for (const file of files.filter((name) => !name.startsWith('_') && /\.ya?ml$/.test(name))) {
    const text = engine.render(readFileSync(join(dir, file), 'utf8'), root);
    rendered[file] = text
      .split(/^---\s*$/m)
      .map((document) => parse(document))
      .filter((document) => document !== null && document !== undefined);
  }
  return rendered;
}

/** Helm's coalescing of user values over chart defaults. */
export function mergeValues(base: unknown, override: unknown): any {
  if (!isMap(base) || !isMap(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else merged[key] = key in base ? mergeValues(base[key], value) : value;
  }
  return merged;
}

// --- template syntax ----------------------------------------------------------------------------------------

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if'; branches: Array<{ pipe: Pipeline; body: Node[] }>; otherwise: Node[] }
  | { kind: 'with'; pipe: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipe: Pipeline; body: Node[]; otherwise: Node[] };

interface Pipeline {
  declare: string[];
  commands: Term[][];
}

type Term =
  | { kind: 'literal'; value: unknown }
  | { kind: 'field'; base: 'dot' | string; path: string[] }
  | { kind: 'ident'; name: string }
  | { kind: 'group'; pipe: Pipeline; path: string[] };

type Item = { kind: 'text'; text: string } | { kind: 'action'; body: string };

function lex(template: string): Item[] {
  const items: Item[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open < 0) {
      items.push({ kind: 'text', text: template.slice(at) });
      break;
    }
    let text = template.slice(at, open);
    const trimLeft = template.startsWith('{{- ', open) || template.startsWith('{{-\n', open);
    if (trimLeft) text = text.replace(/\s+$/, '');
    items.push({ kind: 'text', text });
    const close = findClose(template, open + 2);
    let body = template.slice(open + (trimLeft ? 3 : 2), close);
    const trimRight = /\s-$/.test(body);
    if (trimRight) body = body.slice(0, -1);
    at = close + 2;
    if (trimRight) at += template.slice(at).length - template.slice(at).replace(/^\s+/, '').length;
    body = body.trim();
    if (!body.startsWith('/*')) items.push({ kind: 'action', body });
  }
  return items;
}

function findClose(template: string, from: number): number {
  let quoted = false;
  for (let index = from; index < template.length; index += 1) {
    const char = template[index];
    if (quoted && char === '\\') index += 1;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && template.startsWith('}}', index)) return index;
  }
  throw new HelmRenderError('unclosed action');
}

class Parser {
  private at = 0;
  readonly defines = new Map<string, Node[]>();

  constructor(private readonly items: Item[]) {}

  parse(): Node[] {
    const { nodes, end } = this.block();
    if (end) throw new HelmRenderError(`unexpected {{${end}}}`);
    return nodes;
  }

  /** Nodes up to an `else`/`end` (returned as `end`), or the end of input. */
  private block(): { nodes: Node[]; end?: string } {
    const nodes: Node[] = [];
    while (this.at < this.items.length) {
      const item = this.items[this.at++];
      if (item.kind === 'text') {
        if (item.text) nodes.push({ kind: 'text', text: item.text });
        continue;
      }
      const [word] = item.body.split(/\s+/, 1);
      const rest = item.body.slice(word.length).trim();
      if (word === 'end' || word === 'else') return { nodes, end: item.body };
      if (word === 'if') nodes.push(this.ifNode(rest));
      else if (word === 'with' || word === 'range') nodes.push(this.scoped(word, rest));
      else if (word === 'define') {
        const { nodes: body } = this.expectEnd(this.block());
        this.defines.set(JSON.parse(rest), body);
      } else nodes.push({ kind: 'action', pipe: parsePipeline(item.body) });
    }
    return { nodes };
  }

  private ifNode(condition: string): Node {
    const branches = [];
    let pipe = parsePipeline(condition);
    for (;;) {
      const { nodes, end } = this.block();
      branches.push({ pipe, body: nodes });
      if (end === 'end') return { kind: 'if', branches, otherwise: [] };
      if (end?.startsWith('else if ')) {
        pipe = parsePipeline(end.slice('else if '.length));
        continue;
      }
      if (end === 'else') return { kind: 'if', branches, otherwise: this.expectEnd(this.block()).nodes };
      throw new HelmRenderError('unterminated if');
    }
  }

  private scoped(kind: 'with' | 'range', text: string): Node {
    const pipe = parsePipeline(text);
    const { nodes, end } = this.block();
    if (end === 'end') return { kind, pipe, body: nodes, otherwise: [] };
    if (end === 'else') return { kind, pipe, body: nodes, otherwise: this.expectEnd(this.block()).nodes };
    throw new HelmRenderError(`unterminated ${kind}`);
  }

  private expectEnd(block: { nodes: Node[]; end?: string }) {
    if (block.end !== 'end') throw new HelmRenderError('missing {{end}}');
    return block;
  }
}

function tokenize(text: string): Array<{ token: string; spaced: boolean }> {
  const tokens: Array<{ token: string; spaced: boolean }> = [];
  const pattern = /\s*("(?:\\.|[^"\\])*"|`[^`]*`|:=|[()|,=]|[^\s()|,="]+)/gy;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    tokens.push({ token: match[1], spaced: match[0].length > match[1].length });
  }
  return tokens;
}

function parsePipeline(text: string): Pipeline {
  const tokens = tokenize(text);
  let at = 0;
  const declare: string[] = [];
  const assignAt = tokens.findIndex((token) => token.token === ':=' || token.token === '=');
  if (assignAt > 0 && tokens.slice(0, assignAt).every((token) => /^\$|^,$/.test(token.token))) {
    declare.push(
      ...tokens
        .slice(0, assignAt)
        .filter((token) => token.token !== ',')
        .map((token) => token.token),
    );
    at = assignAt + 1;
  }
  const pipeline = (): Pipeline => {
    const commands: Term[][] = [[]];
    while (at < tokens.length && tokens[at].token !== ')') {
      const { token } = tokens[at++];
      if (token === '|') commands.push([]);
      else if (token === '(') {
        const inner = pipeline();
        at += 1;
        const path: string[] = [];
        while (at < tokens.length && !tokens[at].spaced && tokens[at].token.startsWith('.')) {
          path.push(...tokens[at++].token.split('.').filter(Boolean));
        }
        commands.at(-1)!.push({ kind: 'group', pipe: inner, path });
      } else commands.at(-1)!.push(term(token));
    }
    return { declare: [], commands };
  };
  return { ...pipeline(), declare };
}

function term(token: string): Term {
  if (token.startsWith('"')) return { kind: 'literal', value: JSON.parse(token) };
  if (token.startsWith('`')) return { kind: 'literal', value: token.slice(1, -1) };
  if (/^-?\d+(\.\d+)?$/.test(token)) return { kind: 'literal', value: Number(token) };
  if (token === 'true' || token === 'false') return { kind: 'literal', value: token === 'true' };
  if (token === 'nil') return { kind: 'literal', value: null };
  if (token === '.') return { kind: 'field', base: 'dot', path: [] };
  if (token.startsWith('.')) return { kind: 'field', base: 'dot', path: token.slice(1).split('.') };
  if (token.startsWith('$')) {
    const [base, ...path] = token.split('.');
    return { kind: 'field', base, path };
  }
  return { kind: 'ident', name: token };
}

// --- evaluation ---------------------------------------------------------------------------------------------

type Scope = Map<string, unknown>;

class Engine {
  private readonly defines = new Map<string, Node[]>();

  load(template: string): void {
    const parser = new Parser(lex(template));
    parser.parse();
    for (const [name, body] of parser.defines) this.defines.set(name, body);
  }

  render(template: string, root: unknown): string {
    const parser = new Parser(lex(template));
    return this.run(parser.parse(), root, new Map([['$', root]]));
  }

  private run(nodes: Node[], dot: unknown, outer: Scope): string {
    const scope = new Map(outer);
    let out = '';
    for (const node of nodes) {
      if (node.kind === 'text') out += node.text;
      else if (node.kind === 'action') {
        const value = this.pipe(node.pipe, dot, scope);
        if (node.pipe.declare.length === 0) out += show(value);
      } else if (node.kind === 'if') {
        const branch = node.branches.find(({ pipe }) => truthy(this.pipe(pipe, dot, scope)));
        out += this.run(branch ? branch.body : node.otherwise, dot, scope);
      } else if (node.kind === 'with') {
        const value = this.pipe(node.pipe, dot, scope);
        out += truthy(value) ? this.run(node.body, value, scope) : this.run(node.otherwise, dot, scope);
      } else {
        out += this.range(node, dot, scope);
      }
    }
    return out;
  }

  private range(node: Extract<Node, { kind: 'range' }>, dot: unknown, scope: Scope): string {
    const collection = this.pipe({ ...node.pipe, declare: [] }, dot, scope);
    const entries: Array<[unknown, unknown]> = Array.isArray(collection)
      ? collection.map((item, index) => [index, item])
      : isMap(collection)
        ? Object.keys(collection)
            .sort()
            .map((key) => [key, collection[key]])
        : [];
    if (entries.length === 0) return this.run(node.otherwise, dot, scope);
    return entries
      .map(([key, value]) => {
        const inner = new Map(scope);
        const [first, second] = node.pipe.declare;
        if (second) inner.set(first, key).set(second, value);
        else if (first) inner.set(first, value);
        return this.run(node.body, value, inner);
      })
      .join('');
  }

  private pipe(pipe: Pipeline, dot: unknown, scope: Scope): unknown {
    let result: unknown;
    pipe.commands.forEach((command, index) => {
      const piped = index > 0 ? [result] : [];
      result = this.command(command, dot, scope, piped);
    });
    if (pipe.declare.length === 1) scope.set(pipe.declare[0], result);
    return result;
  }

  private command(command: Term[], dot: unknown, scope: Scope, piped: unknown[]): unknown {
    const [head, ...rest] = command;
    if (head.kind === 'ident') {
      const args = [...rest.map((arg) => this.term(arg, dot, scope)), ...piped];
      return this.call(head.name, args);
    }
    const value = this.term(head, dot, scope);
    // A method such as `.Files.Get "files/x.json"`.
    if (typeof value === 'function') return value(...rest.map((arg) => this.term(arg, dot, scope)), ...piped);
    if (rest.length > 0 || piped.length > 0) throw new HelmRenderError('cannot give arguments to a non-function');
    return value;
  }

  private term(term: Term, dot: unknown, scope: Scope): unknown {
    switch (term.kind) {
      case 'literal':
        return term.value;
      case 'ident':
        return this.call(term.name, []);
      case 'group':
        return walk(this.pipe(term.pipe, dot, scope), term.path);
      case 'field': {
        if (term.base !== 'dot' && !scope.has(term.base)) throw new HelmRenderError(`undefined variable ${term.base}`);
        return walk(term.base === 'dot' ? dot : scope.get(term.base), term.path);
      }
    }
  }

  private call(name: string, args: unknown[]): unknown {
    if (name === 'include') {
      const body = this.defines.get(String(args[0]));
      if (!body) throw new HelmRenderError(`no template "${String(args[0])}"`);
      return this.run(body, args[1], new Map([['$', args[1]]]));
    }
    const fn = FUNCTIONS[name];
    if (!fn) throw new HelmRenderError(`function "${name}" not defined`);
    return fn(...args);
  }
}

function walk(value: unknown, path: string[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || node === undefined) throw new HelmRenderError(`nil pointer evaluating interface {}.${key}`);
    node = isMap(node) ? node[key] : undefined;
  }
  return node;
}
