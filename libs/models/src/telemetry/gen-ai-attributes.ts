import type { Attributes } from '@opentelemetry/api';
import { AppError, ErrorCode } from '@app/common';
import { ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';

/** `gen_ai.system` by wire dialect; every other dialect speaks OpenAI's API. */
const GEN_AI_SYSTEMS: Record<string, string> = {
  anthropic: 'anthropic',
  bedrock: 'aws.bedrock',
  azure: 'azure.ai.openai',
};

export const genAiSystemOf = (provider: string) => GEN_AI_SYSTEMS[provider] ?? 'openai';

export const operationOf = (provider: string) => (provider === 'text-completion-openai' ? 'text_completion' : 'chat');

/** Where the target points, without credentials, query or fragment; `bedrock` targets name the service. */
export function endpointOf(target: ModelTarget): string {
  if (!target.apiBase) return target.provider;
  try {
    const url = new URL(target.apiBase);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return target.provider;
  }
}

/** The GenAI semantic-convention attributes of a model call span (request side). */
export function requestAttributes(target: ModelTarget, request: ModelRequest, featureCategory: string): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': operationOf(target.provider),
    'gen_ai.system': genAiSystemOf(target.provider),
    'gen_ai.provider.name': genAiSystemOf(target.provider),
    'gen_ai.request.model': target.model,
    'gen_ai.request.temperature': request.temperature,
    'gen_ai.request.max_tokens': request.maxTokens,
    'gen_ai.request.top_p': request.topP,
    'aigw.model.provider': target.provider,
    'aigw.feature_category': featureCategory,
  };
  if (target.apiBase) {
    try {
      const url = new URL(target.apiBase);
      attributes['server.address'] = url.hostname;
      attributes['server.port'] = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    } catch {
      // validated before the call; an unparsable base has no address to report
    }
  }
  return attributes;
}

/**
 * How a failed call reads on the status page and in spans: the error code and our own wording. An upstream's
 * error body can echo the prompt, so its text is left out.
 */
export function failureSummary(error: unknown): { code: string; summary: string } {
  if (!(error instanceof AppError)) return { code: ErrorCode.Internal, summary: 'Unexpected error' };
  const status = error.upstreamStatus;
  return { code: error.code, summary: status ? `Model server answered HTTP ${status}` : error.message.split(':')[0] };
}
