import { posix } from 'node:path';
import { ToolError } from './tool-error';

interface Rule {
  pattern: RegExp;
  negated: boolean;
}

/**
 * The project's Duo context exclusion rules, gitignore style: `*`, `**`, `?`, a leading `/` anchors, a
 * trailing `/` means a directory, `!` re-includes; the last matching rule decides (§6.4).
 */
export class ExclusionRules {
  private readonly rules: Rule[];

  constructor(patterns: readonly string[]) {
    this.rules = patterns
      .map((raw) => raw.trim())
      .filter((raw) => raw !== '' && !raw.startsWith('#'))
      .map(toRule);
  }

  isExcluded(path: string): boolean {
    const normalised = posix.normalize(path.replace(/\\/g, '/')).replace(/^(\.\/|\/)+/, '');
    let excluded = false;
    for (const rule of this.rules) {
      if (rule.pattern.test(normalised)) excluded = !rule.negated;
    }
    return excluded;
  }

  /** Throws the tool error the model sees for an excluded path. */
  assertAllowed(path: string): void {
    if (this.isExcluded(path)) {
      throw new ToolError(`Access to '${path}' is not allowed: it matches the project's Duo context exclusion rules`);
    }
  }
}

function toRule(raw: string): Rule {
  const negated = raw.startsWith('!');
  let body = negated ? raw.slice(1) : raw;
  const anchored = body.startsWith('/') || body.replace(/\/$/, '').includes('/');
  body = body.replace(/^\//, '').replace(/\/$/, '');
  const source = body
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*')
    .replace(/\.\*\//g, '(?:.*/)?');
  const prefix = anchored ? '^' : '^(?:.*/)?';
  return { pattern: new RegExp(`${prefix}${source}(?:/.*)?$`), negated };
}
