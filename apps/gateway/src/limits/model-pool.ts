import { ModelTarget } from '@app/models';

export interface ModelPool {
  /** Keys the per-pool limits. */
  name: string;
  /** Metric label: a configured pool's name, or `other`. */
  label: string;
}

/**
 * The backend pool a model call goes to: the configured pool of the route it matched (`AIGW_MODEL_ROUTES__FILE`),
 * named by the operator and so also its metric label. Without a route, the endpoint's origin (or the provider,
 * for endpoints chosen by the provider, such as Bedrock's); such pools come from requests, so their metric label
 * is `other`.
 */
export function modelPoolOf(target: ModelTarget, configured?: string): ModelPool {
  if (configured) return { name: configured, label: configured };
  if (!target.apiBase) return { name: target.provider, label: 'other' };
  try {
    return { name: new URL(target.apiBase).origin, label: 'other' };
  } catch {
    return { name: target.apiBase, label: 'other' };
  }
}
