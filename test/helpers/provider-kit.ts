import { OutboundHttp, OutboundHttpOptions } from '@app/common';
import { BUILT_IN_MODEL_PROVIDERS } from '@app/models';
import { ModelProviderDefinition, ProviderHttp } from '@gitlab-ai-gateway/provider-api';
import { ConformanceEnvironment } from '@gitlab-ai-gateway/provider-api/testing';

export { collect } from '@gitlab-ai-gateway/provider-api/testing';

/** The shared outbound client as provider specs use it against a loopback stand-in: short timeouts, a small pool. */
export function testOutbound(options: Partial<OutboundHttpOptions> = {}): OutboundHttp {
  return new OutboundHttp({
    caBundleFile: '',
    maxConnectionsPerOrigin: 4,
    connectTimeoutS: 1,
    readTimeoutS: 5,
    keepAliveTimeoutS: 5,
    ...options,
  });
}

/**
 * What the gateway hands a built-in provider in a conformance run, on a test outbound client: its own pooled
 * transport (`http`: the spec's `UpstreamHttp`) and the instances of the definition's `inject` tokens.
 */
export function gatewayEnvironment(parts: {
  http?: (outbound: OutboundHttp) => ProviderHttp;
  injected?: (outbound: OutboundHttp) => unknown[];
}): ConformanceEnvironment {
  const outbound = testOutbound();
  return {
    http: parts.http?.(outbound),
    injected: parts.injected?.(outbound),
    close: () => outbound.onApplicationShutdown(),
  };
}

/** The built-in definition registered under `name`. */
export function builtInDefinition(name: string): ModelProviderDefinition {
  const definition = BUILT_IN_MODEL_PROVIDERS.find((candidate) => candidate.names.includes(name));
  if (!definition) throw new Error(`no built-in model provider is named ${name}`);
  return definition;
}
