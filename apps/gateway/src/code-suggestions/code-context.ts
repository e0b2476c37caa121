import { countTokens, keepFirstTokens } from './token-budget';

export interface CodeContextBudget {
  /** The model's input limit T. */
  limit: number;
  prefixTokens: number;
  suffixTokens: number;
  /** Largest share of T the context may take: 1.0 (0.3 for Fireworks in the original). */
  maxShare: number;
}

export interface PrefixWithContext {
  prefix: string;
  /** Tokens of the joined context before truncation. */
  sentTokens: number;
  /** Tokens of the context actually prepended. */
  usedTokens: number;
}

/**
 * Prepends `context[].content` to the prefix as `<context>\n<prefix>` (http-api.md §2.5): the contents are
 * joined with `\n` and cut to `min(T − prefix − suffix, T × share)` tokens, keeping their beginning.
 */
export function prependCodeContext(contents: string[], prefix: string, budget: CodeContextBudget): PrefixWithContext {
  if (contents.length === 0) return { prefix, sentTokens: 0, usedTokens: 0 };
  const joined = contents.join('\n');
  const available = Math.min(
    budget.limit - budget.prefixTokens - budget.suffixTokens,
    Math.floor(budget.limit * budget.maxShare),
  );
  const kept = keepFirstTokens(joined, available);
  return {
    prefix: kept ? `${kept}\n${prefix}` : prefix,
    sentTokens: countTokens(joined),
    usedTokens: countTokens(kept),
  };
}
