const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/**
 * Whether a JSON text nests arrays and objects deeper than `maxDepth`, read before parsing: JSON.parse takes
 * seconds over millions of levels, and class-transformer overflowed its stack at 3,000 (issue 15). Strings are
 * skipped with `indexOf`, so a body made of long texts costs little. Malformed text is left to the parser.
 */
export function nestsDeeperThan(body: Buffer, maxDepth: number): boolean {
  let depth = 0;
  for (let at = 0; at < body.length; at += 1) {
    const byte = body[at];
    if (byte === QUOTE) {
      at = closingQuote(body, at + 1);
      if (at < 0) return false;
    } else if (OPENERS.has(byte)) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (CLOSERS.has(byte)) {
      depth -= 1;
    }
  }
  return false;
}

/** Index of the quote that ends the string whose text starts at `from`; -1 when it never ends. */
function closingQuote(body: Buffer, from: number): number {
  for (let start = from; ;) {
    const quote = body.indexOf(QUOTE, start);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (quote - backslashes - 1 >= start && body[quote - backslashes - 1] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    start = quote + 1;
  }
}
