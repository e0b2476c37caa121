/**
 * Length limits of `model_metadata` (gitlab-versions.md §2), shared by the HTTP routes' validation and the
 * Agent Platform's model metadata header (§9: the same rules apply to its JSON).
 */
export const MODEL_METADATA_LIMITS = {
  provider: 255,
  name: 255,
  endpoint: 255,
  api_key: 2000,
  identifier: 1000,
} as const;

/**
 * What makes raw `model_metadata` unusable, as a message naming the field: a field longer than its limit, or an
 * `api_key` that cannot travel as an HTTP header value; undefined when it is usable.
 */
export function modelMetadataProblem(metadata: Record<string, unknown>): string | undefined {
  for (const [field, limit] of Object.entries(MODEL_METADATA_LIMITS)) {
    const value = metadata[field];
    if (typeof value === 'string' && value.length > limit) return `${field} is longer than ${limit} characters`;
  }
  const key = metadata.api_key;
  if (typeof key === 'string' && !/^[\x20-\x7e]*$/.test(key)) {
    return 'api_key may hold only printable ASCII characters: it is sent as an HTTP header';
  }
  return undefined;
}
