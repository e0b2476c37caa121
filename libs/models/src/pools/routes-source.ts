import { Document, isNode, LineCounter, parseDocument } from 'yaml';

export type FieldPath = Array<string | number>;

/** Why a routes file was refused: one line per problem, each naming the line and the field. */
export class RoutesFileError extends Error {
  readonly problems: string[];

  constructor(
    readonly source: string,
    problems: string[],
  ) {
    problems = [...problems].sort((a, b) => lineNumber(a) - lineNumber(b));
    super(`${source} is not a valid routes file:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'RoutesFileError';
    this.problems = problems;
  }
}

/**
 * A parsed YAML (or JSON, which YAML reads too) document that can say on which line a field is, so that every
 * problem found in it names its line.
 */
export class RoutesSource {
  readonly problems: string[] = [];
  readonly value: unknown;
  private readonly lines = new LineCounter();
  private readonly document: Document;

  constructor(text: string) {
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const error of this.document.errors) {
      const line = this.lines.linePos(error.pos[0]).line;
      this.problems.push(`line ${line}: ${error.message.split('\n')[0]}`);
    }
    this.value = this.problems.length === 0 ? this.document.toJS() : undefined;
  }

  /** Records `message` about the field at `path` (or, when it is missing, the nearest field above it). */
  report(path: FieldPath, message: string): void {
    const field = path.length === 0 ? 'the file' : dotted(path);
    this.problems.push(`line ${this.lineOf(path)}: ${field} ${message}`);
  }

  private lineOf(path: FieldPath): number {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node: unknown = depth === 0 ? this.document.contents : this.document.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }
}

function dotted(path: FieldPath): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

const lineNumber = (problem: string) => Number(/^line (\d+):/.exec(problem)?.[1] ?? 0);
