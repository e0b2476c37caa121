import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode, OutboundHttp } from '@app/common';
import { ModelProvider } from './model-types';
import { MODELS_OPTIONS, ModelsOptions } from './models-options';
import { AnthropicProvider } from './providers/anthropic/anthropic.provider';
import { AzureOpenAiProvider } from './providers/azure/azure.provider';
import { BedrockProvider } from './providers/bedrock/bedrock.provider';
import { OpenAiCompatibleProvider } from './providers/openai-compatible/openai-compatible.provider';
import { TextCompletionOpenAiProvider } from './providers/text-completion-openai/text-completion-openai.provider';
import { UpstreamHttp } from './transport/upstream-http';

const MISTRAL_API = 'https://api.mistral.ai/v1';
const CODESTRAL_API = 'https://codestral.mistral.ai/v1';

/**
 * Provider name (a `ModelTarget.provider`: the part of `model_identifier` before the first `/`, or a path
 * default) → the wire dialect that serves it. LiteLLM names for OpenAI-compatible servers all map to one base.
 */
@Injectable()
export class ModelProviders {
  private readonly byName: ReadonlyMap<string, ModelProvider>;
  /** Providers that reach a vendor's cloud when no endpoint is given, and whether the operator set their key. */
  private readonly cloudKeyConfigured: ReadonlyMap<string, boolean>;

  constructor(http: UpstreamHttp, outbound: OutboundHttp, @Inject(MODELS_OPTIONS) options: ModelsOptions) {
    const openAi = new OpenAiCompatibleProvider(http);
    const text = new TextCompletionOpenAiProvider(http);
    const mistral = new OpenAiCompatibleProvider(http, { apiBase: MISTRAL_API, apiKey: options.mistralApiKey });
    const hostedCodestral = { apiBase: CODESTRAL_API, apiKey: options.mistralApiKey };
    const codestral = new OpenAiCompatibleProvider(http, hostedCodestral);
    const codestralText = new TextCompletionOpenAiProvider(http, hostedCodestral);
    this.byName = new Map<string, ModelProvider>([
      ...['custom_openai', 'openai', 'hosted_vllm', 'vllm', 'ollama', 'ollama_chat', 'litellm_proxy'].map(
        (name) => [name, openAi] as const,
      ),
      ['text-completion-openai', text],
      ['text-completion-custom_openai', text],
      ['mistral', mistral],
      ['codestral', codestral],
      ['text-completion-codestral', codestralText],
      ['anthropic', new AnthropicProvider(http)],
      ['azure', new AzureOpenAiProvider(http, options.azureApiVersion)],
      ['bedrock', new BedrockProvider(outbound.dispatcher, options.aws)],
    ]);
    const mistralKey = Boolean(options.mistralApiKey);
    this.cloudKeyConfigured = new Map([
      ['anthropic', Boolean(options.anthropicApiKey)],
      ['mistral', mistralKey],
      ['codestral', mistralKey],
      ['text-completion-codestral', mistralKey],
    ]);
  }

  /**
   * Whether a target without an endpoint may be called (gitlab-versions.md §2): Bedrock (the AWS configuration
   * says where), and a vendor's cloud only with the operator's key for it. Others need an endpoint.
   */
  servesWithoutEndpoint(name: string): boolean {
    return name === 'bedrock' || this.cloudKeyConfigured.get(name) === true;
  }

  /** Every provider name served here: the fixed set the `model_engine` metric label is drawn from. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): ModelProvider {
    const provider = this.byName.get(name);
    if (!provider) throw new AppError(ErrorCode.InvalidInput, `model provider ${name} is not supported`);
    return provider;
  }
}
