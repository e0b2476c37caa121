/** Where a JSON text first goes wrong, in the words of Python's `json` module (which FastAPI reports). */
export interface JsonSyntaxError {
  /** UTF-16 index into the text. */
  index: number;
  reason: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);
const LITERALS = ['true', 'false', 'null'];
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/;

/**
 * Scans a text `JSON.parse` refused and says where and why, as Python's decoder would ("Expecting value",
 * "Expecting ',' delimiter", …). Only called for bad bodies, so it favours plainness over speed; it keeps its
 * own stack, so deep nesting cannot overflow. `undefined` when it finds no error.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const fail = (index: number, reason: string) => ({ index, reason });
  const skip = (from: number) => {
    let at = from;
    while (at < text.length && WHITESPACE.has(text[at])) at += 1;
    return at;
  };
  /** Closing brackets of the open containers, innermost last. */
  const open: Array<'}' | ']'> = [];
  let at = skip(0);
  let expectValue = true;
  for (;;) {
    if (expectValue) {
      const value = scanValue(text, at);
      if ('reason' in value) return value;
      at = skip(value.end);
      if (value.opens) {
        open.push(value.opens);
        if (text[at] === value.opens) {
          open.pop();
          at = skip(at + 1);
        } else {
          if (value.opens === '}') {
            const key = scanKey(text, at, skip);
            if ('reason' in key) return key;
            at = key.end;
          }
          continue;
        }
      }
      expectValue = false;
    }
    const closing = open.at(-1);
    if (!closing) return at < text.length ? fail(at, 'Extra data') : undefined;
    if (text[at] === closing) {
      open.pop();
      at = skip(at + 1);
      continue;
    }
    if (text[at] !== ',') return fail(at, "Expecting ',' delimiter");
    at = skip(at + 1);
    if (text[at] === closing) {
      return fail(at, `Illegal trailing comma before end of ${closing === '}' ? 'object' : 'array'}`);
    }
    if (closing === '}') {
      const key = scanKey(text, at, skip);
      if ('reason' in key) return key;
      at = key.end;
    }
    expectValue = true;
  }
}

type Scanned = { end: number; opens?: '}' | ']' } | JsonSyntaxError;

function scanValue(text: string, at: number): Scanned {
  const char = text[at];
  if (char === '{') return { end: at + 1, opens: '}' };
  if (char === '[') return { end: at + 1, opens: ']' };
  if (char === '"') return scanString(text, at);
  const literal = LITERALS.find((word) => text.startsWith(word, at));
  if (literal) return { end: at + literal.length };
  const number = NUMBER.exec(text.slice(at, at + 400));
  if (number) return { end: at + number[0].length };
  return { index: at, reason: 'Expecting value' };
}

/** `"name"` then `:`, leaving `at` on the value. */
function scanKey(text: string, at: number, skip: (from: number) => number): Scanned {
  if (text[at] !== '"') return { index: at, reason: 'Expecting property name enclosed in double quotes' };
  const key = scanString(text, at);
  if ('reason' in key) return key;
  const colon = skip(key.end);
  if (text[colon] !== ':') return { index: colon, reason: "Expecting ':' delimiter" };
  return { end: skip(colon + 1) };
}

function scanString(text: string, start: number): Scanned {
  for (let at = start + 1; at < text.length; at += 1) {
    const char = text[at];
    if (char === '"') return { end: at + 1 };
    if (char < ' ') return { index: at, reason: 'Invalid control character at' };
    if (char !== '\\') continue;
    const escape = text[at + 1];
    if (!ESCAPES.has(escape)) return { index: at, reason: 'Invalid \\escape' };
    if (escape === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
      return { index: at + 1, reason: 'Invalid \\uXXXX escape' };
    }
    at += 1;
  }
  return { index: start, reason: 'Unterminated string starting at' };
}
