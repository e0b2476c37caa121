import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of one request or gRPC call carries. */
export interface RequestContext {
  correlationId: string;
  /** Filled in once the caller is authenticated; safe to log (no tokens). */
  identity?: Record<string, unknown>;
  /** Set while the request is traced: the W3C trace id, logged on every line. */
  traceId?: string;
  /** Who the request counts against for limits and caching; set by authentication. Never logged. */
  caller?: CallerIds;
}

export interface CallerIds {
  /** `X-Gitlab-Global-User-Id`, else the token's subject. */
  user?: string;
  /** `X-Gitlab-Instance-Id`, else the token's `gitlab_instance_id`. */
  instance?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const RequestContextStore = {
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
};
