/** The routes file (`AIGW_MODEL_ROUTES__FILE`) once validated; names are the operator's, safe as metric labels. */
export interface RoutesConfig {
  pools: ReadonlyMap<string, PoolConfig>;
  /** Tried in order; the first that matches a call takes it. */
  routes: RouteConfig[];
}

export interface RouteConfig {
  name: string;
  match: RouteMatchConfig;
  pool: string;
  /** Pools tried, in order, when every backend of `pool` is out or failed before the first byte. */
  fallbacks: string[];
}

/** All given fields must match; at least one is given. */
export interface RouteMatchConfig {
  /** The endpoint GitLab sends, compared without a trailing `/`. */
  endpoint?: string;
  /** `host` or `host:port` of that endpoint. */
  host?: string;
  /** The model family the request names (`model_metadata.name`, e.g. `codestral`). */
  family?: string;
}

export type BalancePolicy = 'least_outstanding' | 'prefix_affinity';

export interface PoolConfig {
  name: string;
  /** The family the pool's models belong to; a fallback pool of another family gets prompts written for it. */
  family?: string;
  balance: BalancePolicy;
  affinity: AffinityConfig;
  healthCheck?: HealthCheckConfig;
  ejection: EjectionConfig;
  retry: RetryConfig;
  backends: BackendConfig[];
}

export interface BackendConfig {
  name: string;
  url: string;
  weight: number;
  /** Replaces the request's key; never logged. */
  apiKey?: string;
  /** Replaces the request's upstream model name. */
  model?: string;
}

export interface AffinityConfig {
  /** A backend takes a key that hashes to it while it has under `loadFactor` × its share of the requests. */
  loadFactor: number;
  /** How much of the prompt's start (after the user) keys the hash when the caller gives no affinity key. */
  prefixChars: number;
}

export interface HealthCheckConfig {
  /** Joined to the backend's URL origin: `/health` (vLLM) or `/v1/models`. */
  path: string;
  intervalS: number;
  timeoutS: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
}

export interface EjectionConfig {
  /** Connect failures or 5xx answers in a row that take a backend out. */
  consecutiveFailures: number;
  /** First time out; doubled at each ejection in a row, up to `maxS`. */
  baseS: number;
  maxS: number;
}

export interface RetryConfig {
  /** Backends one call may try in this pool, the first included. */
  maxAttempts: number;
  /** Retries allowed in a 10 s window: this share of the window's calls… */
  budgetRatio: number;
  /** …or at least this many. */
  minRetries: number;
}
