/**
 * Byte-compatible renderings of what the original (Python) puts on the wire: `json.dumps` with its default
 * `", "` / `": "` separators and ASCII escaping, and `repr` of Pydantic error lists.
 */

/** A Python tuple, for `repr` (Pydantic's `loc` is one). */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, unicodeEscape);
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  return `{${entries.map(([key, item]) => `${pythonJson(key)}: ${pythonJson(item)}`).join(', ')}}`;
}

export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return reprString(value);
  if (typeof value !== 'object') return String(value);
  if (value instanceof PyTuple) {
    const items = value.items.map(pythonRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${reprString(key)}: ${pythonRepr(item)}`)
    .join(', ')}}`;
}

const unicodeEscape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Single quotes unless the text has a single quote and no double quote, as CPython does. */
function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  // eslint-disable-next-line no-control-regex -- control characters are what repr() escapes
  const body = text.replace(/[\\\n\r\t\x00-\x1f\x7f'"]/g, (char) => {
    if (ESCAPES[char]) return ESCAPES[char];
    if (char === quote) return `\\${char}`;
    if (char === "'" || char === '"') return char;
    return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `${quote}${body}${quote}`;
}
