import { randomUUID } from 'node:crypto';
import { HeaderBag, headerValue, Identity } from '@app/auth';

/** The metadata of one call (agent-platform.md §5.1), typed. Holds no credentials but `modelMetadata`. */
export interface CallContext {
  identity: Identity;
  /** `x-request-id`, else `x-gitlab-correlation-id`, else generated. */
  correlationId: string;
  gitlabVersion?: string;
  /**
   * Raw `x-gitlab-agent-platform-model-metadata` JSON, or early 18.x's `x-gitlab-self-hosted-models-metadata`
   * (gitlab-versions.md §9; the newer wins): may hold an api key, never logged (§6.8).
   */
  modelMetadata?: string;
  /** `x-gitlab-self-hosted-dap-billing-enabled` is `true` or `1`. */
  billingHeader: boolean;
}

const flag = (value: string | undefined) => ['true', '1'].includes((value ?? '').trim().toLowerCase());

export function callContextOf(headers: HeaderBag, identity: Identity): CallContext {
  const header = (name: string) => headerValue(headers, name) || undefined;
  return {
    identity,
    correlationId: header('x-request-id') ?? header('x-gitlab-correlation-id') ?? randomUUID().replace(/-/g, ''),
    gitlabVersion: header('x-gitlab-version'),
    modelMetadata: header('x-gitlab-agent-platform-model-metadata') ?? header('x-gitlab-self-hosted-models-metadata'),
    billingHeader: flag(header('x-gitlab-self-hosted-dap-billing-enabled')),
  };
}
