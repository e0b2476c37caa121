import { IncomingHttpHeaders } from 'node:http';

/**
 * `X-Gitlab-Enabled-Feature-Flags` minus the flags disallowed for the caller's `X-Gitlab-Realm`
 * (http-api.md §0.2 step 6), as echoed in suggestion envelopes (§9.9).
 */
export function enabledFeatureFlags(headers: IncomingHttpHeaders, disallowedByRealm: Record<string, string[]>): string[] {
  const realm = String(headers['x-gitlab-realm'] ?? '');
  const disallowed = new Set(disallowedByRealm[realm] ?? []);
  const flags = String(headers['x-gitlab-enabled-feature-flags'] ?? '')
    .split(',')
    .map((flag) => flag.trim())
    .filter((flag) => flag !== '' && !disallowed.has(flag));
  return [...new Set(flags)];
}
