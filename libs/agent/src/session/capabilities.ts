import { coerce, gte } from 'semver';

/** `clientCapabilities` count only from GitLab 18.7.0 on (§4.1 step 5). */
export function sessionCapabilities(
  requested: readonly string[],
  gitlabVersion: string | undefined,
): ReadonlySet<string> {
  const version = coerce(gitlabVersion ?? '')?.version;
  return new Set(version && gte(version, '18.7.0') ? requested : []);
}
