const MIB = 1024 * 1024;

/**
 * Largest request body per route, from the contract's field limits (issue 15), with room for JSON escapes:
 * - `/v2/code/*`: 100 context items of 500 000 characters plus the file (http-api.md §2.1), about 50 MB;
 * - `/v3`, `/v4` code suggestions: 100 components, prompts ≤ 400 000, code context ≤ 100 000 (§2.8–2.9);
 * - chat, prompts and embeddings carry conversations, diffs and code chunks the contract does not bound;
 * - everything else (token, docs search, workflow helpers) is a few fields.
 */
const LIMITS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^\/v2\/(code\/)?(completions|generations)$/, 64 * MIB],
  [/^\/v3\/code\/completions$|^\/v4\/code\/suggestions$/, 16 * MIB],
  [/^\/v[12]\/chat\/|^\/v[12]\/prompts\/|^\/v1\/embeddings\//, 8 * MIB],
];
const DEFAULT_LIMIT = MIB;

/** The body limit of a route, by its path template. */
export function bodyLimitOf(url: string): number {
  return LIMITS.find(([pattern]) => pattern.test(url))?.[1] ?? DEFAULT_LIMIT;
}
