import { cleanModelReflection } from './model-reflection';

/** A fence line at the start of the text or of any line (Python's `^```\S*\n` with MULTILINE). */
const FENCE_LINE = /(?<![^\n])```\S*\n/g;

/** http-api.md §2.7 steps 1–4, applied to non-streaming generations. */
export function postProcessGeneration(contentAboveCursor: string, text: string): string {
  const unfenced = stripCodeFences(text);
  const separated = prependNewline(contentAboveCursor, unfenced);
  const cleaned = cleanModelReflection(contentAboveCursor, separated);
  return blankToEmpty(cleaned);
}

export function stripCodeFences(text: string): string {
  return text.replace(FENCE_LINE, '').replace(/`+$/, '');
}

/** Starts the generation on a new line unless the prefix or the text already provides one. */
export function prependNewline(contentAboveCursor: string, text: string): string {
  if (!text || contentAboveCursor.endsWith('\n') || text.startsWith('\n')) return text;
  return `\n${text}`;
}

export function blankToEmpty(text: string): string {
  return /^\s+$/.test(text) ? '' : text;
}
