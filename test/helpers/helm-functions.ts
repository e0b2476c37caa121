import { createHash } from 'node:crypto';
import { parse, stringify } from 'yaml';

/** The Go template builtins and Helm/Sprig functions test/helpers/helm-template.ts evaluates, as Helm defines them. */

export const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** As Helm prints a value: missing values as nothing. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const toYaml = (value: unknown) =>
  value === null || value === undefined ? 'null' : stringify(value, { sortMapEntries: true }).replace(/\n$/, '');

const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_key, node) =>
    isMap(node)
      ? Object.fromEntries(
          Object.keys(node)
            .sort()
            .map((key) => [key, node[key]]),
        )
      : node,
  );

const indentLines = (spaces: number, text: string) =>
  text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');

export const FUNCTIONS: Record<string, (...args: any[]) => unknown> = {
  required: (message: string, value: unknown) => {
    if (value === null || value === undefined || value === '') throw new HelmRenderError(`execution error: ${message}`);
    return value;
  },
  fail: (message: string) => {
    throw new HelmRenderError(`execution error: ${message}`);
  },
  default: (fallback: unknown, value?: unknown) => (truthy(value) ? value : fallback),
  empty: (value: unknown) => !truthy(value),
  coalesce: (...values: unknown[]) => values.find(truthy),
  quote: (...values: unknown[]) =>
    values
      .filter((value) => value !== null && value !== undefined)
      .map((value) => JSON.stringify(show(value)))
      .join(' '),
  squote: (...values: unknown[]) => values.map((value) => `'${show(value)}'`).join(' '),
  toString: (value: unknown) => show(value),
  toYaml,
  // Helm's fromYaml: a map (an empty one for empty text); a parse error becomes an `Error` key, as Helm does.
  fromYaml: (text: string) => {
    try {
      const value: unknown = parse(String(text ?? ''));
      return isMap(value) ? value : {};
    } catch (error) {
      return { Error: (error as Error).message };
    }
  },
  toJson: sortedJson,
  nindent: (spaces: number, text: string) => `\n${indentLines(spaces, text)}`,
  indent: (spaces: number, text: string) => indentLines(spaces, text),
  trunc: (length: number, text: string) => String(text).slice(0, length),
  trimSuffix: (suffix: string, text: string) => (text.endsWith(suffix) ? text.slice(0, -suffix.length) : text),
  replace: (from: string, to: string, text: string) => String(text).split(from).join(to),
  contains: (part: string, text: string) => String(text).includes(part),
  hasPrefix: (prefix: string, text: string) => String(text).startsWith(prefix),
  lower: (text: string) => String(text).toLowerCase(),
  printf: (format: string, ...args: unknown[]) => {
    let index = 0;
    return format.replace(/%[sdv]/g, () => show(args[index++]));
  },
  eq: (first: unknown, ...others: unknown[]) => others.some((other) => other === first),
  ne: (first: unknown, second: unknown) => first !== second,
  not: (value: unknown) => !truthy(value),
  and: (...values: unknown[]) => values.find((value) => !truthy(value)) ?? values.at(-1),
  or: (...values: unknown[]) => values.find(truthy) ?? values.at(-1),
  index: (collection: unknown, ...keys: Array<string | number>) =>
    keys.reduce<any>((node, key) => (node === null || node === undefined ? undefined : node[key]), collection),
  first: (list: unknown[]) => (Array.isArray(list) ? list[0] : undefined),
  list: (...items: unknown[]) => items,
  dict: (...pairs: unknown[]) => {
    const map: Record<string, unknown> = {};
    for (let index = 0; index < pairs.length; index += 2) map[String(pairs[index])] = pairs[index + 1];
    return map;
  },
  hasKey: (map: Record<string, unknown>, key: string) => isMap(map) && key in map,
  add: (...numbers: number[]) => numbers.reduce((sum, number) => sum + Number(number), 0),
  len: (value: unknown) =>
    Array.isArray(value) || typeof value === 'string' ? value.length : Object.keys(value ?? {}).length,
  kindIs: (kind: string, value: unknown) => kindOf(value) === kind,
  b64enc: (text: string) => Buffer.from(String(text)).toString('base64'),
  sha256sum: (text: string) => createHash('sha256').update(String(text)).digest('hex'),
};

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'invalid';
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

export class HelmRenderError extends Error {}
