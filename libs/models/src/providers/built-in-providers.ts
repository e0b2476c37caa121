import { OutboundHttp } from '@app/common';
import { ModelProviderDefinition, ProviderContext } from '@gitlab-ai-gateway/provider-api';
import { MODELS_OPTIONS, ModelsOptions } from '../models-options';
import { AnthropicProvider } from './anthropic/anthropic.provider';
import { AzureOpenAiProvider } from './azure/azure.provider';
import { BedrockProvider } from './bedrock/bedrock.provider';
import { OpenAiCompatibleProvider } from './openai-compatible/openai-compatible.provider';
import { TextCompletionOpenAiProvider } from './text-completion-openai/text-completion-openai.provider';

const MISTRAL_API = 'https://api.mistral.ai/v1';
const CODESTRAL_API = 'https://codestral.mistral.ai/v1';

/**
 * The providers the gateway ships, registered like any provider package's. LiteLLM's names for OpenAI-compatible
 * servers all map to one base (http-api.md §6.1).
 */
export const BUILT_IN_MODEL_PROVIDERS: readonly ModelProviderDefinition[] = [
  {
    names: ['custom_openai', 'openai', 'hosted_vllm', 'vllm', 'ollama', 'ollama_chat', 'litellm_proxy'],
    create: ({ http }) => new OpenAiCompatibleProvider(http),
  },
  {
    names: ['text-completion-openai', 'text-completion-custom_openai'],
    create: ({ http }) => new TextCompletionOpenAiProvider(http),
  },
  {
    names: ['mistral'],
    inject: [MODELS_OPTIONS],
    create: ({ http }: ProviderContext, options: ModelsOptions) =>
      new OpenAiCompatibleProvider(http, { apiBase: MISTRAL_API, apiKey: options.mistralApiKey }),
  },
  {
    names: ['codestral'],
    inject: [MODELS_OPTIONS],
    create: ({ http }: ProviderContext, options: ModelsOptions) =>
      new OpenAiCompatibleProvider(http, { apiBase: CODESTRAL_API, apiKey: options.mistralApiKey }),
  },
  {
    names: ['text-completion-codestral'],
    inject: [MODELS_OPTIONS],
    create: ({ http }: ProviderContext, options: ModelsOptions) =>
      new TextCompletionOpenAiProvider(http, { apiBase: CODESTRAL_API, apiKey: options.mistralApiKey }),
  },
  {
    names: ['anthropic'],
    inject: [MODELS_OPTIONS],
    create: ({ http }: ProviderContext, options: ModelsOptions) => new AnthropicProvider(http, options.anthropicApiKey),
  },
  {
    names: ['azure'],
    inject: [MODELS_OPTIONS],
    create: ({ http }: ProviderContext, options: ModelsOptions) =>
      new AzureOpenAiProvider(http, options.azureApiVersion),
  },
  {
    names: ['bedrock'],
    inject: [MODELS_OPTIONS, OutboundHttp],
    create: (_context: ProviderContext, options: ModelsOptions, outbound: OutboundHttp) =>
      new BedrockProvider(outbound.dispatcher, options.aws),
  },
];
