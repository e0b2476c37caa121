const UNSAFE_PATTERNS: ReadonlyArray<RegExp> = [
  /<\/?\s*(system|goal)\b[^>]*>/i,
  /<!--/,
  /^\s*\[[^\]]*\]:\s*(#|<>)/m,
  /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/,
];

/**
 * The prompt checks of agent-platform.md §6.1: no `<system>`/`<goal>` tags, HTML comments, markdown link
 * comments (`[//]: # (…)`) or hidden unicode (zero-width, bidi controls, tag characters).
 */
export function isPromptSafe(text: string): boolean {
  return !UNSAFE_PATTERNS.some((pattern) => pattern.test(text));
}
