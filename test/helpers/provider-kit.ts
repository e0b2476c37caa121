import { OutboundHttp, OutboundHttpOptions } from '@app/common';
import { BUILT_IN_MODEL_PROVIDERS } from '@app/models';
import { ModelProviderDefinition, ModelRequest, ModelTarget, ProviderHttp } from '@gitlab-ai-gateway/provider-api';
import { ConformanceEnvironment, ModelFake } from '@gitlab-ai-gateway/provider-api/testing';

export { collect } from '@gitlab-ai-gateway/provider-api/testing';

/** A chat request using every sampling field a provider maps: a system and a user message, temperature, a stop. */
export const CHAT_REQUEST: ModelRequest = {
  messages: [
    { role: 'system', content: 'You complete code.' },
    { role: 'user', content: 'def add(a, b):' },
  ],
  temperature: 0.32,
  maxTokens: 64,
  stop: ['[INST]'],
};

/** A tool the model may call, as the tool-history requests offer it. */
export const ISSUE_READER = { name: 'issue_reader', description: 'Reads an issue', parameters: { type: 'object' } };

/** A conversation with an earlier tool call and its result, then a new user question. */
export const TOOL_HISTORY_REQUEST: ModelRequest = {
  messages: [
    { role: 'user', content: 'Read #1' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'issue_reader', arguments: '{"id":1}' }] },
    { role: 'tool', content: 'Issue 1: crash', toolCallId: 'call_1' },
    { role: 'user', content: 'Summarise it' },
  ],
  tools: [ISSUE_READER],
};

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

/** A provider under test and the stand-in it calls, for one describe block. */
export interface StandInRun<Fake extends ModelFake, Provider> {
  readonly fake: Fake;
  readonly provider: Provider;
  /** The target naming the stand-in. */
  readonly target: ModelTarget;
}

/** Starts `start` and the provider on a test outbound client before the block's tests; closes both after them. */
export function useStandIn<Fake extends ModelFake, Provider>(
  start: () => Promise<Fake>,
  create: (outbound: OutboundHttp, fake: Fake) => Provider,
  target: (fake: Fake) => ModelTarget,
): StandInRun<Fake, Provider> {
  const run = {} as { fake: Fake; provider: Provider; target: ModelTarget };
  let outbound: OutboundHttp;
  beforeAll(async () => {
    run.fake = await start();
    outbound = testOutbound();
    run.provider = create(outbound, run.fake);
    run.target = target(run.fake);
  });
  afterAll(async () => {
    await outbound?.onApplicationShutdown();
    await run.fake?.close();
  });
  return run;
}
