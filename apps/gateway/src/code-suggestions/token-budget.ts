/**
 * Token arithmetic for prompt budgets (http-api.md §2.4). The original counts with the Hugging Face
 * `Salesforce/codegen2-16B` tokenizer; we use the spec's recommended heuristic of 4 characters (UTF-16 code
 * units) per token, which keeps every left/right rule and budget and needs no model files.
 */
const CHARS_PER_TOKEN = 4;

/** Share of the budget kept for the suffix on completions. */
const SUFFIX_RESERVE = 0.07;

export function countTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The last `tokens` tokens of `text` (prefixes keep the end next to the cursor). */
export function keepLastTokens(text: string, tokens: number): string {
  const chars = Math.max(0, tokens) * CHARS_PER_TOKEN;
  if (text.length <= chars) return text;
  const start = text.length - chars;
  return text.slice(isLowSurrogate(text, start) ? start + 1 : start);
}

/** The first `tokens` tokens of `text` (suffixes and code context keep their beginning). */
export function keepFirstTokens(text: string, tokens: number): string {
  const chars = Math.max(0, tokens) * CHARS_PER_TOKEN;
  if (text.length <= chars) return text;
  return text.slice(0, isLowSurrogate(text, chars) ? chars - 1 : chars);
}

export interface TruncatedFile {
  prefix: string;
  suffix: string;
  prefixTokens: number;
  suffixTokens: number;
}

/** `max_prefix = ceil(0.93 × T)`, `max_suffix = T − max_prefix`: 2 048 → 1 905 / 143. */
export function splitBudget(limit: number): { maxPrefix: number; maxSuffix: number } {
  const maxPrefix = Math.ceil(limit * (1 - SUFFIX_RESERVE));
  return { maxPrefix, maxSuffix: limit - maxPrefix };
}

export function truncatePrefixSuffix(prefix: string, suffix: string, limit: number): TruncatedFile {
  const { maxPrefix, maxSuffix } = splitBudget(limit);
  const keptPrefix = keepLastTokens(prefix, maxPrefix);
  const keptSuffix = keepFirstTokens(suffix, maxSuffix);
  return {
    prefix: keptPrefix,
    suffix: keptSuffix,
    prefixTokens: countTokens(keptPrefix),
    suffixTokens: countTokens(keptSuffix),
  };
}

/** Never cut between the two halves of a surrogate pair. */
function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}
