import semver from 'semver';

/**
 * Turns a Poetry-style constraint (`^1.0.0`, `~1.2`, `>=1.0.0,<2.0.0`, `==1.0.0`, `1.0.0`, `1.*`) into an
 * npm range; `undefined` when it is not one.
 */
export function toSemverRange(constraint: string): string | undefined {
  const normalised = constraint
    .trim()
    .replace(/\s*,\s*/g, ' ')
    .replace(/(^|\s)==\s*/g, '$1');
  if (normalised === '') return undefined;
  return semver.validRange(normalised) ?? undefined;
}
