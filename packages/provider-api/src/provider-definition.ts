import { SseEvent } from './readers/sse-parser';
import { ModelProvider } from './model-types';
import { UpstreamCall } from './upstream-call';

/** One POST to a model server: the body is sent as JSON. */
export interface UpstreamPost {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * The gateway's pooled HTTP client for model servers: its connection limits, connect and read timeouts, CA
 * bundle and proxy settings apply; `call.signal` aborts the request and closes the connection. A non-2xx answer
 * fails with the normalised error of {@link statusError}; a body past the limits of `response-limits` fails as
 * `model_malformed` and closes the connection. Each method ends `call` (its deadline timer) once the answer is read.
 */
export interface ProviderHttp {
  /** The parsed JSON body of a 2xx answer. */
  postJson(post: UpstreamPost, call: UpstreamCall): Promise<unknown>;
  /** The server-sent events of a 2xx answer; leaving the loop early closes the upstream connection. */
  postSse(post: UpstreamPost, call: UpstreamCall): AsyncIterable<SseEvent>;
}

/** Where a provider writes; the gateway's own logger, under the provider's name. Never log a key. */
export interface ProviderLogger {
  log(message: string): void;
  warn(message: string): void;
}

/** What the gateway hands a provider when it registers it. */
export interface ProviderContext {
  http: ProviderHttp;
  logger: ProviderLogger;
}

/**
 * A model provider as a package registers it: the names a `model_metadata.provider` (or the part of a
 * `model_identifier` before its first `/`) may give, and how to create it. `inject` lists Nest injection tokens
 * whose instances are passed to `create` after the context (the built-in providers read the gateway's
 * configuration that way); an external provider usually needs none.
 */
export interface ModelProviderDefinition {
  names: readonly string[];
  inject?: readonly unknown[];
  create(context: ProviderContext, ...injected: never[]): ModelProvider;
}

/** Type-checks a definition; what a provider package exports, as its default export or as `provider`. */
export function defineModelProvider(definition: ModelProviderDefinition): ModelProviderDefinition {
  return definition;
}
