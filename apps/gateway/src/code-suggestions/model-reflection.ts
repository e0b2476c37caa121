/**
 * Removes lines where a generation repeats the code above the cursor (http-api.md §2.7 step 3), with the
 * behaviour of ai-assist's `clean_model_reflection`, `find_common_lines` and `find_newline_position`,
 * including their grouping quirks (a group spans from its first to its last matching line, so unmatched
 * lines between them go with it).
 */
export function cleanModelReflection(context: string, completion: string): string {
  const text = `${context}${completion}`;
  const breakAt = findNewlinePosition(text, context.length);
  if (breakAt === -1) return completion;

  const linesBefore = splitCodeLines(text.slice(0, breakAt));
  const linesAfter = splitCodeLines(text.slice(breakAt));
  const groups = findCommonLineGroups(linesBefore.map(pyStrip), linesAfter.map(pyStrip));

  const kept: string[] = [];
  let next = 0;
  for (const group of groups) {
    const first = group[0];
    const last = group[group.length - 1];
    const repeated = linesAfter.slice(first, last + 1);
    kept.push(...linesAfter.slice(next, first));
    if (!isSingleLineComment(repeated) && !isLargeCodeBlock(group, repeated)) kept.push(...repeated);
    next = last + 1;
  }
  kept.push(...linesAfter.slice(next));
  return text.slice(context.length, breakAt) + kept.join('');
}

const COMMENT_STARTS = ['/*', '//', '#'];
const SPECIAL_CHARS = new Set('()[];.,$%&^*@#!{}/');
const MIN_BLOCK_LINES = 5;
const MIN_SPECIAL_SHARE = 0.25;
const MIN_DISTINCT_SHARE = 0.35;

function isSingleLineComment(lines: string[]): boolean {
  return lines.length === 1 && COMMENT_STARTS.some((start) => lines[0].trimStart().startsWith(start));
}

/** Ordinary code (few special characters, repetitive characters) of at least five lines. */
function isLargeCodeBlock(group: number[], lines: string[]): boolean {
  const chars = Array.from(lines.map(pyStrip).join(''));
  if (group.length < MIN_BLOCK_LINES || chars.length === 0) return false;
  const special = chars.filter((char) => SPECIAL_CHARS.has(char)).length;
  const distinct = new Set(chars).size;
  return special / chars.length < MIN_SPECIAL_SHARE && distinct / chars.length < MIN_DISTINCT_SHARE;
}

/** Index just after the line break that ends the cursor's line; -1 if that line is the last one. */
export function findNewlinePosition(text: string, start: number): number {
  if (
    text
      .slice(0, start)
      .replace(/[ \t]+$/, '')
      .endsWith('\n')
  )
    return start;
  const index = text.indexOf('\n', start);
  return index === -1 ? -1 : index + 1;
}

/**
 * Indices of `target` lines that also occur in `source`, grouped while their matches in `source` are
 * consecutive: `source ["abc","def","g"]`, `target ["abc","def","c","abc"]` → `[[0,1],[3]]`.
 *
 * The original fills a longest-common-run table in which a run that grows past one line is renumbered to
 * start at 2, then takes each target column's first row holding the column maximum. Only two rows of the
 * table are kept here, with each column's running maximum, so memory stays linear in the target.
 */
export function findCommonLineGroups(source: string[], target: string[]): number[][] {
  const ids = new Map<string, number>();
  const idOf = (line: string) => ids.get(line) ?? ids.set(line, ids.size).get(line)!;
  const targetIds = target.map(idOf);
  const columnMax = new Array<number>(target.length + 1).fill(0);
  const columnRow = new Array<number>(target.length + 1).fill(0);
  const consider = (column: number, row: number, value: number) => {
    if (value > columnMax[column] || (value === columnMax[column] && value > 0 && row < columnRow[column])) {
      columnMax[column] = value;
      columnRow[column] = row;
    }
  };

  let previous = new Array<number>(target.length + 1).fill(0);
  source.forEach((line, index) => {
    const row = index + 1;
    const sourceId = idOf(line);
    const current = new Array<number>(target.length + 1).fill(0);
    for (let column = 1; column <= target.length; column += 1) {
      if (targetIds[column - 1] !== sourceId) continue;
      if (previous[column - 1] === 1) {
        previous[column - 1] = 2;
        consider(column - 1, row - 1, 2);
      }
      current[column] = previous[column - 1] + 1;
      consider(column, row, current[column]);
    }
    previous = current;
  });

  const groups: number[][] = [];
  let lastRow = Number.NaN;
  for (let column = 1; column <= target.length; column += 1) {
    const row = columnRow[column];
    if (row === 0) continue;
    if (row - lastRow === 1) groups[groups.length - 1].push(column - 1);
    else groups.push([column - 1]);
    lastRow = row;
  }
  return groups;
}

/** Python's `str.splitlines()` boundaries. */
// eslint-disable-next-line no-control-regex -- Python's line boundaries include these control characters
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/**
 * `_split_code_lines`: lines with their break moved to the front of the next line (`"a\nb\n"` →
 * `["a", "\nb", "\n"]`), so that joining them gives the text back.
 */
export function splitCodeLines(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const match of text.matchAll(LINE_BREAK)) {
    const end = match.index + match[0].length;
    pieces.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) pieces.push(text.slice(start));

  const lines = pieces.map((piece, index) => (index > 0 ? '\n' : '') + piece.replace(/\n+$/, ''));
  if (pieces.length > 0 && pieces[pieces.length - 1].endsWith('\n')) lines.push('\n');
  return lines;
}

/** Python's `str.strip()`; the two differ only on a few rare control characters. */
const pyStrip = (line: string) => line.trim();
