import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of one request or gRPC call carries. */
export interface RequestContext {
  correlationId: string;
  /** Filled in once the caller is authenticated; safe to log (no tokens). */
  identity?: Record<string, unknown>;
  /** Set while the request is traced: the W3C trace id, logged on every line. */
  traceId?: string;
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
