import { getMetadataStorage } from 'class-validator';
import { AppConfig } from './app-config';
import { ALIASES, EnvRecord } from './env-tree';
import { envNameOf } from './load-config';

const CHECKED_PREFIXES = ['AIGW_', 'DUO_WORKFLOW_'];

/**
 * Names GitLab's own gateway and Agent Platform read (http-api.md §7, agent-platform.md §7) that have no effect
 * here; docs/configuration.md lists them under "Accepted and ignored". A trailing `*` matches any suffix.
 */
export const IGNORED_VARIABLES = [
  'AIGW_ENVIRONMENT',
  'AIGW_GITLAB_API_URL',
  'AIGW_MOCK_MODEL_RESPONSES',
  'AIGW_MODEL_KEYS__FIREWORKS_API_KEY',
  'AIGW_GLGO_BASE_URL',
  'AIGW_VERTEX_*',
  'AIGW_GOOGLE_CLOUD_PLATFORM__*',
  'AIGW_AMAZON_Q__*',
  'AIGW_ABUSE_DETECTION__*',
  'AIGW_INTERNAL_EVENT__*',
  'AIGW_SNOWPLOW__*',
  'AIGW_GOOGLE_CLOUD_PROFILER__*',
  'AIGW_INSTRUMENTATOR__*',
  'AIGW_MODEL_ENDPOINTS__*',
  'AIGW_F__CODE_SUGGESTIONS__EXCL_POST_PROC',
  'AIGW_FASTAPI__UVICORN_LOGGER',
  'AIGW_FASTAPI__RELOAD',
  'AIGW_FASTAPI__REDOC_URL',
  'AIGW_MOCK_USAGE_CREDITS',
  'DUO_WORKFLOW_GITLAB_SSL_CA_FILE',
  'DUO_WORKFLOW_SERVICE_ENVIRONMENT',
] as const;

export interface UnknownVariable {
  name: string;
  /** The known variable nearest in spelling. */
  closest: string;
}

/** `AIGW_*` / `DUO_WORKFLOW_*` variables that set nothing: typos, or settings of another version. */
export function unknownVariables(env: EnvRecord): UnknownVariable[] {
  const known = knownVariables();
  const candidates = [...known].filter(isChecked);
  return Object.keys(env)
    .filter((name) => env[name] !== undefined)
    .filter(isChecked)
    .filter((name) => !known.has(name.toUpperCase()) && !isIgnored(name.toUpperCase()))
    .sort()
    .map((name) => ({ name, closest: closestOf(name.toUpperCase(), candidates) }));
}

let cachedKnown: Set<string> | undefined;

/** Every variable that sets a field of {@link AppConfig}, and every alias of one. */
export function knownVariables(): Set<string> {
  cachedKnown ??= new Set([...leafPaths(new AppConfig()).map(envNameOf), ...Object.keys(ALIASES)]);
  return cachedKnown;
}

/** Fields of nested config objects, optional ones (absent from a fresh instance) included. */
function leafPaths(node: object, path: string[] = []): string[][] {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(node.constructor, '', true, false)
    .map((metadata) => metadata.propertyName);
  const fields = [...new Set([...Object.keys(node), ...validated])];
  return fields.flatMap((field) => {
    const value = (node as Record<string, unknown>)[field];
    const isSection =
      typeof value === 'object' && value !== null && value.constructor !== Object && !Array.isArray(value);
    return isSection ? leafPaths(value, [...path, field]) : [[...path, field]];
  });
}

const isChecked = (name: string) => CHECKED_PREFIXES.some((prefix) => name.toUpperCase().startsWith(prefix));

function isIgnored(name: string): boolean {
  return IGNORED_VARIABLES.some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
  );
}

function closestOf(name: string, candidates: string[]): string {
  let best = candidates[0];
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
