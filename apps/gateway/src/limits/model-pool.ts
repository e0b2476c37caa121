import { ModelTarget } from '@app/models';

export interface ModelPool {
  /** Keys the per-pool limits. */
  name: string;
  /** Metric label: a configured pool's name, or `other`. */
  label: string;
}

/**
 * The backend pool a model call goes to. Until endpoint pools are configured (issue 17), a pool is the
 * endpoint's origin (or the provider, for endpoints chosen by the provider, such as Bedrock's); such
 * pools come from requests, so their metric label is `other`.
 */
export function modelPoolOf(target: ModelTarget): ModelPool {
  if (!target.apiBase) return { name: target.provider, label: 'other' };
  try {
    return { name: new URL(target.apiBase).origin, label: 'other' };
  } catch {
    return { name: target.apiBase, label: 'other' };
  }
}
