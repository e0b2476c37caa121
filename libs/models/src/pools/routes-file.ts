import { readFileSync } from 'node:fs';
import {
  AffinityConfig,
  BackendConfig,
  BalancePolicy,
  EjectionConfig,
  HealthCheckConfig,
  PoolConfig,
  RetryConfig,
  RouteConfig,
  RoutesConfig,
} from './routes-config';
import { FieldPath, RoutesFileError, RoutesSource } from './routes-source';

type Fields = Record<string, unknown>;

const BALANCE_POLICIES: readonly BalancePolicy[] = ['least_outstanding', 'prefix_affinity'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_RULE = 'must be 1–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit';

/** Reads and validates the routes file at `path`; throws {@link RoutesFileError} naming every bad line. */
export function readRoutesFile(path: string): RoutesConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RoutesFileError(path, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  return parseRoutes(text, path);
}

/** Validates a routes file's text (YAML or JSON); `source` names it in the error. */
export function parseRoutes(text: string, source: string): RoutesConfig {
  const file = new RoutesSource(text);
  if (file.problems.length > 0) throw new RoutesFileError(source, file.problems);
  const reader = new FieldReader(file);
  const root = reader.mapping([], file.value, ['pools', 'routes']);
  const pools = new Map<string, PoolConfig>();
  const poolFields = reader.mapping(['pools'], root?.pools, undefined, true);
  for (const [name, value] of Object.entries(poolFields ?? {})) {
    if (!NAME.test(name)) file.report(['pools', name], `name ${NAME_RULE}`);
    pools.set(name, readPool(reader, name, value));
  }
  if (poolFields && pools.size === 0) file.report(['pools'], 'must declare at least one pool');
  const routes = reader.list(['routes'], root?.routes, true).map((value, index) => readRoute(reader, index, value));
  checkReferences(file, routes, pools);
  if (file.problems.length > 0) throw new RoutesFileError(source, file.problems);
  return { pools, routes };
}

function readPool(reader: FieldReader, name: string, value: unknown): PoolConfig {
  const path = ['pools', name];
  const fields =
    reader.mapping(path, value, ['family', 'balance', 'affinity', 'health_check', 'ejection', 'retry', 'backends']) ??
    {};
  const backends = reader.list([...path, 'backends'], fields.backends, true);
  if (fields.backends !== undefined && backends.length === 0) reader.report([...path, 'backends'], 'must not be empty');
  const read = backends.map((backend, index) => readBackend(reader, [...path, 'backends', index], backend));
  const seen = new Set<string>();
  read.forEach((backend, index) => {
    if (seen.has(backend.name)) reader.report([...path, 'backends', index, 'name'], `repeats ${backend.name}`);
    seen.add(backend.name);
  });
  return {
    name,
    family: reader.string(path, fields, 'family'),
    balance: reader.oneOf(path, fields, 'balance', BALANCE_POLICIES) ?? 'least_outstanding',
    affinity: readAffinity(reader, [...path, 'affinity'], fields.affinity),
    healthCheck: fields.health_check === undefined ? undefined : readHealth(reader, path, fields.health_check),
    ejection: readEjection(reader, [...path, 'ejection'], fields.ejection),
    retry: readRetry(reader, [...path, 'retry'], fields.retry),
    backends: read,
  };
}

function readBackend(reader: FieldReader, path: FieldPath, value: unknown): BackendConfig {
  const fields = reader.mapping(path, value, ['name', 'url', 'weight', 'api_key', 'model'], true) ?? {};
  const url = reader.string(path, fields, 'url', true) ?? '';
  const problem = url ? urlProblem(url) : undefined;
  if (problem) reader.report([...path, 'url'], problem);
  const name = reader.string(path, fields, 'name') ?? (problem ? '' : new URL(url).host);
  if (fields.name !== undefined && !NAME.test(name)) reader.report([...path, 'name'], NAME_RULE);
  const apiKey = reader.string(path, fields, 'api_key');
  // Keys travel in a header; the message never repeats the key.
  if (apiKey !== undefined && !/^[\x20-\x7e]*$/.test(apiKey)) {
    reader.report([...path, 'api_key'], 'must contain only printable ASCII characters');
  }
  return {
    name,
    url: url.replace(/\/+$/, ''),
    weight: reader.number(path, fields, 'weight', { min: 0, max: 1000, fallback: 1 }),
    apiKey,
    model: reader.string(path, fields, 'model'),
  };
}

function readAffinity(reader: FieldReader, path: FieldPath, value: unknown): AffinityConfig {
  const fields = value === undefined ? {} : (reader.mapping(path, value, ['load_factor', 'prefix_chars']) ?? {});
  return {
    loadFactor: reader.number(path, fields, 'load_factor', { min: 1, max: 100, fallback: 1.25 }),
    prefixChars: reader.number(path, fields, 'prefix_chars', { min: 1, max: 1_000_000, fallback: 2048, integer: true }),
  };
}

function readHealth(reader: FieldReader, poolPath: FieldPath, value: unknown): HealthCheckConfig {
  const path = [...poolPath, 'health_check'];
  const known = ['path', 'interval_s', 'timeout_s', 'unhealthy_threshold', 'healthy_threshold'];
  const fields = reader.mapping(path, value, known) ?? {};
  const probePath = reader.string(path, fields, 'path') ?? '/health';
  if (!probePath.startsWith('/')) reader.report([...path, 'path'], 'must start with /');
  const count = { min: 1, max: 100, integer: true };
  return {
    path: probePath,
    intervalS: reader.number(path, fields, 'interval_s', { min: 0.05, max: 3600, fallback: 5 }),
    timeoutS: reader.number(path, fields, 'timeout_s', { min: 0.05, max: 600, fallback: 2 }),
    unhealthyThreshold: reader.number(path, fields, 'unhealthy_threshold', { ...count, fallback: 2 }),
    healthyThreshold: reader.number(path, fields, 'healthy_threshold', { ...count, fallback: 2 }),
  };
}

function readEjection(reader: FieldReader, path: FieldPath, value: unknown): EjectionConfig {
  const fields =
    value === undefined ? {} : (reader.mapping(path, value, ['consecutive_failures', 'base_s', 'max_s']) ?? {});
  const baseS = reader.number(path, fields, 'base_s', { min: 0.01, max: 86_400, fallback: 10 });
  const maxS = reader.number(path, fields, 'max_s', { min: 0.01, max: 86_400, fallback: Math.max(300, baseS) });
  if (maxS < baseS) reader.report([...path, 'max_s'], 'must not be less than base_s');
  return {
    consecutiveFailures: reader.number(path, fields, 'consecutive_failures', {
      min: 1,
      max: 1000,
      fallback: 3,
      integer: true,
    }),
    baseS,
    maxS,
  };
}

function readRetry(reader: FieldReader, path: FieldPath, value: unknown): RetryConfig {
  const fields =
    value === undefined ? {} : (reader.mapping(path, value, ['max_attempts', 'budget_ratio', 'min_retries']) ?? {});
  return {
    maxAttempts: reader.number(path, fields, 'max_attempts', { min: 1, max: 10, fallback: 3, integer: true }),
    budgetRatio: reader.number(path, fields, 'budget_ratio', { min: 0, max: 10, fallback: 0.2 }),
    minRetries: reader.number(path, fields, 'min_retries', { min: 0, max: 100_000, fallback: 10, integer: true }),
  };
}

function readRoute(reader: FieldReader, index: number, value: unknown): RouteConfig {
  const path = ['routes', index];
  const fields = reader.mapping(path, value, ['name', 'match', 'pool', 'fallbacks'], true) ?? {};
  const matchPath = [...path, 'match'];
  const match = reader.mapping(matchPath, fields.match, ['endpoint', 'host', 'family'], true) ?? {};
  const endpoint = reader.string(matchPath, match, 'endpoint');
  const endpointProblem = endpoint === undefined ? undefined : urlProblem(endpoint);
  if (endpointProblem) reader.report([...matchPath, 'endpoint'], endpointProblem);
  const host = reader.string(matchPath, match, 'host');
  const family = reader.string(matchPath, match, 'family');
  if (fields.match !== undefined && endpoint === undefined && host === undefined && family === undefined) {
    reader.report(matchPath, 'must name an endpoint, a host or a family');
  }
  const fallbacks = reader.list([...path, 'fallbacks'], fields.fallbacks).map((item, at) => {
    if (typeof item !== 'string') reader.report([...path, 'fallbacks', at], 'must be a pool name');
    return String(item);
  });
  const name = reader.string(path, fields, 'name') ?? `route-${index + 1}`;
  if (fields.name !== undefined && !NAME.test(name)) reader.report([...path, 'name'], NAME_RULE);
  return {
    name,
    match: {
      endpoint: endpoint?.replace(/\/+$/, ''),
      host: host?.toLowerCase(),
      family,
    },
    pool: reader.string(path, fields, 'pool', true) ?? '',
    fallbacks,
  };
}

function checkReferences(file: RoutesSource, routes: RouteConfig[], pools: ReadonlyMap<string, PoolConfig>): void {
  routes.forEach((route, index) => {
    if (route.pool && !pools.has(route.pool)) file.report(['routes', index, 'pool'], `names no pool: ${route.pool}`);
    route.fallbacks.forEach((fallback, at) => {
      const path = ['routes', index, 'fallbacks', at];
      if (!pools.has(fallback)) file.report(path, `names no pool: ${fallback}`);
      else if (fallback === route.pool || route.fallbacks.indexOf(fallback) !== at) {
        file.report(path, `repeats pool ${fallback}`);
      }
    });
  });
  const names = routes.map((route) => route.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) file.report(['routes', index, 'name'], `repeats ${name}`);
  });
}

function urlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return 'must be an http(s) URL';
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not contain credentials (use api_key)';
  return undefined;
}

interface NumberRule {
  min: number;
  max: number;
  fallback: number;
  integer?: boolean;
}

/** Typed reads of one field each; a wrong one is reported and read as its default. */
class FieldReader {
  constructor(private readonly file: RoutesSource) {}

  report(path: FieldPath, message: string): void {
    this.file.report(path, message);
  }

  mapping(path: FieldPath, value: unknown, known?: string[], required = false): Fields | undefined {
    if (value === undefined || value === null) {
      if (required) this.report(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.report(path, 'must be a mapping');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (known && !known.includes(key))
        this.report([...path, key], `is not a known field (known: ${known.join(', ')})`);
    }
    return value as Fields;
  }

  list(path: FieldPath, value: unknown, required = false): unknown[] {
    if (value === undefined || value === null) {
      if (required) this.report(path, 'is required');
      return [];
    }
    if (!Array.isArray(value)) {
      this.report(path, 'must be a list');
      return [];
    }
    return value;
  }

  string(path: FieldPath, fields: Fields, key: string, required = false): string | undefined {
    const value = fields[key];
    if (value === undefined || value === null) {
      if (required) this.report([...path, key], 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.report([...path, key], 'must be a non-empty string');
      return undefined;
    }
    return value.trim();
  }

  oneOf<T extends string>(path: FieldPath, fields: Fields, key: string, allowed: readonly T[]): T | undefined {
    const value = fields[key];
    if (value === undefined) return undefined;
    if (allowed.includes(value as T)) return value as T;
    this.report([...path, key], `must be one of ${allowed.join(', ')}`);
    return undefined;
  }

  number(path: FieldPath, fields: Fields, key: string, rule: NumberRule): number {
    const value = fields[key];
    if (value === undefined || value === null) return rule.fallback;
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= rule.min &&
      value <= rule.max &&
      (!rule.integer || Number.isInteger(value));
    if (valid) return value;
    this.report([...path, key], `must be ${rule.integer ? 'an integer' : 'a number'} from ${rule.min} to ${rule.max}`);
    return rule.fallback;
  }
}
