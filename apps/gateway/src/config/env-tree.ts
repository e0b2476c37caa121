/** Flat environment (`AIGW_FASTAPI__API_PORT=5052`) → nested raw tree (`{fastapi: {apiPort: "5052"}}`). */
export type EnvRecord = Record<string, string | undefined>;

export interface RawConfigTree {
  tree: Record<string, unknown>;
  /** Dotted path (`fastapi.apiPort`) → the variable the value came from, for error messages. */
  sources: Map<string, string>;
}

const PREFIXES: ReadonlyArray<[prefix: string, root: string[]]> = [
  ['AIGW_', []],
  ['DUO_WORKFLOW_', ['duoWorkflow']],
];

/** Upstream names accepted for our variables; used only when ours is not set (agent-platform.md §7). */
export const ALIASES: Readonly<Record<string, string>> = {
  PORT: 'AIGW_AGENT_PLATFORM__PORT',
  DUO_WORKFLOW_SHUTDOWN_GRACE_PERIOD_S: 'AIGW_SHUTDOWN_GRACE_PERIOD_S',
  DUO_WORKFLOW_LOGGING__LEVEL: 'AIGW_LOGGING__LEVEL',
  DUO_WORKFLOW_LOGGING__JSON_FORMAT: 'AIGW_LOGGING__FORMAT_JSON',
  DUO_WORKFLOW_LOGGING__TO_FILE: 'AIGW_LOGGING__TO_FILE',
  CLOUD_CONNECTOR_SERVICE_NAME: 'AIGW_CLOUD_CONNECTOR_SERVICE_NAME',
  ANTHROPIC_API_KEY: 'AIGW_MODEL_KEYS__ANTHROPIC_API_KEY',
  SSL_CERT_FILE: 'AIGW_CA_BUNDLE_FILE',
  REQUESTS_CA_BUNDLE: 'AIGW_CA_BUNDLE_FILE',
  AWS_ACCESS_KEY_ID: 'AIGW_AWS__ACCESS_KEY_ID',
  AWS_SECRET_ACCESS_KEY: 'AIGW_AWS__SECRET_ACCESS_KEY',
  AWS_SESSION_TOKEN: 'AIGW_AWS__SESSION_TOKEN',
  AWS_REGION_NAME: 'AIGW_AWS__REGION',
  AWS_REGION: 'AIGW_AWS__REGION',
  AWS_DEFAULT_REGION: 'AIGW_AWS__REGION',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'AIGW_TRACING__OTLP_ENDPOINT',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'AIGW_TRACING__OTLP_TRACES_ENDPOINT',
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'AIGW_TRACING__OTLP_HEADERS',
  OTEL_EXPORTER_OTLP_HEADERS: 'AIGW_TRACING__OTLP_HEADERS',
  OTEL_SERVICE_NAME: 'AIGW_TRACING__SERVICE_NAME',
  OTEL_TRACES_SAMPLER: 'AIGW_TRACING__SAMPLER',
  OTEL_TRACES_SAMPLER_ARG: 'AIGW_TRACING__SAMPLER_ARG',
  OTEL_TRACES_EXPORTER: 'AIGW_TRACING__EXPORTER',
  OTEL_SDK_DISABLED: 'AIGW_TRACING__SDK_DISABLED',
  OTEL_RESOURCE_ATTRIBUTES: 'AIGW_TRACING__RESOURCE_ATTRIBUTES',
  OTEL_BSP_SCHEDULE_DELAY: 'AIGW_TRACING__BATCH_DELAY_MS',
  HTTPS_PROXY: 'AIGW_PROXY__HTTPS_PROXY',
  HTTP_PROXY: 'AIGW_PROXY__HTTP_PROXY',
  NO_PROXY: 'AIGW_PROXY__NO_PROXY',
};

const camel = (segment: string) => segment.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function pathOf(name: string): string[] | undefined {
  for (const [prefix, root] of PREFIXES) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length).toLowerCase();
    if (rest === '') return undefined;
    return [...root, ...rest.split('__').map(camel)];
  }
  return undefined;
}

function setPath(tree: Record<string, unknown>, path: string[], value: string): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

export function buildConfigTree(env: EnvRecord): RawConfigTree {
  const upper = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) upper.set(name.toUpperCase(), value);
  }
  for (const [alias, target] of Object.entries(ALIASES)) {
    const value = upper.get(alias);
    if (value !== undefined && !upper.has(target)) upper.set(target, value);
  }
  const tree: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  // Shorter names first, so `AIGW_FASTAPI__API_PORT` wins over a stray `AIGW_FASTAPI`.
  const names = [...upper.keys()].sort((a, b) => a.length - b.length);
  for (const name of names) {
    const path = pathOf(name);
    if (!path) continue;
    setPath(tree, path, upper.get(name) as string);
    sources.set(path.join('.'), originalName(name, upper, env));
  }
  return { tree, sources };
}

/** The name as the operator wrote it (or the alias they used). */
function originalName(name: string, upper: Map<string, string>, env: EnvRecord): string {
  const written = Object.keys(env).find((key) => key.toUpperCase() === name);
  if (written) return written;
  const alias = Object.entries(ALIASES).find(([from, to]) => to === name && upper.has(from));
  return alias ? alias[0] : name;
}
