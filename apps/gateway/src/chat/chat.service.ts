import { Injectable } from '@nestjs/common';
import { Identity } from '@app/auth';
import {
  ChatMessage,
  legacyChatParams,
  ModelRequest,
  ModelService,
  ModelTarget,
  resolveModelTarget,
} from '@app/models';
import { AppConfig } from '../config';
import { capabilityModelError } from '../errors/capability-model-errors';
import { requireCustomModels } from '../model-requests/custom-models';
import { ModelExchangeLogger } from '../model-requests/model-exchange-logger';
import { PromptComponentDto } from './chat.dto';

/** A `/v1/chat` request ready to send. */
export interface ChatInvocation {
  invokable: string;
  identity: Identity | undefined;
  provider: 'anthropic' | 'litellm';
  target: ModelTarget;
  request: ModelRequest;
}

/** Message lists get a lower Anthropic output cap than a single prompt (http-api.md §3.1). */
const ANTHROPIC_MESSAGES_MAX_TOKENS = 4096;

/** The legacy chat of `/v1/chat/*`: the client's messages as they are, to Anthropic or a LiteLLM-style server. */
@Injectable()
export class ChatService {
  constructor(
    private readonly models: ModelService,
    private readonly config: AppConfig,
    private readonly exchangeLog: ModelExchangeLogger,
  ) {}

  prepare(invokable: string, component: PromptComponentDto, identity: Identity | undefined): ChatInvocation {
    const { payload } = component;
    const messages: ChatMessage[] =
      typeof payload.content === 'string' ? [{ role: 'user', content: payload.content }] : payload.content;
    const base = { invokable, identity };
    if (payload.provider !== 'litellm') {
      const maxTokens = Array.isArray(payload.content)
        ? Math.min(payload.params.max_tokens_to_sample, ANTHROPIC_MESSAGES_MAX_TOKENS)
        : payload.params.max_tokens_to_sample;
      // Without AIGW_MODEL_KEYS__ANTHROPIC_API_KEY this is a 422 naming model_endpoint (gitlab-versions.md §2).
      const target = { provider: 'anthropic', model: payload.model, apiKey: this.config.modelKeys.anthropicApiKey };
      this.models.assertServable(target);
      return {
        ...base,
        provider: 'anthropic',
        target,
        request: { messages, temperature: payload.params.temperature, maxTokens, stop: payload.params.stop_sequences },
      };
    }
    if (payload.model_endpoint || payload.model_api_key) requireCustomModels(this.config);
    const target = resolveModelTarget(
      {
        name: payload.model,
        endpoint: payload.model_endpoint,
        apiKey: payload.model_api_key,
        identifier: payload.model_identifier,
      },
      { provider: 'custom_openai', stripTrailingSlash: false, missingApiKey: 'stubbed-api-key' },
    );
    this.models.assertServable(target);
    const request = { messages, ...legacyChatParams(payload.model), userId: identity?.userId, family: payload.model };
    return { ...base, provider: 'litellm', target, request };
  }

  async generate(invocation: ChatInvocation, signal: AbortSignal): Promise<string> {
    this.exchangeLog.logRequest(invocation.identity, invocation.invokable, invocation.request.messages);
    try {
      const { text } = await this.models.generate(
        invocation.target,
        { ...invocation.request, signal },
        { featureCategory: 'duo_chat' },
      );
      this.exchangeLog.logResponse(invocation.identity, invocation.invokable, text);
      return text;
    } catch (error) {
      throw contractError(invocation, error);
    }
  }

  async *stream(invocation: ChatInvocation, signal: AbortSignal): AsyncGenerator<string> {
    this.exchangeLog.logRequest(invocation.identity, invocation.invokable, invocation.request.messages);
    let text = '';
    try {
      for await (const chunk of this.models.stream(
        invocation.target,
        { ...invocation.request, signal },
        { featureCategory: 'duo_chat' },
      )) {
        if (chunk.type !== 'text') continue;
        text += chunk.text;
        yield chunk.text;
      }
    } catch (error) {
      throw contractError(invocation, error);
    }
    this.exchangeLog.logResponse(invocation.identity, invocation.invokable, text);
  }
}

/** Anthropic failures get the contract's 502/504 messages; LiteLLM failures are plain 500s (http-api.md §3.1). */
const contractError = (invocation: ChatInvocation, error: unknown): unknown =>
  capabilityModelError(invocation.provider === 'litellm' ? 'chat_litellm' : 'chat_anthropic', error);
