import { ModelTarget, ProviderHttp } from '@gitlab-ai-gateway/provider-api';
import { OpenAiCompatibleProvider } from '../openai-compatible/openai-compatible.provider';

/** Azure OpenAI: the target's model is the deployment name; the key goes in `api-key`. */
export class AzureOpenAiProvider extends OpenAiCompatibleProvider {
  constructor(
    http: ProviderHttp,
    private readonly apiVersion: string,
  ) {
    super(http);
  }

  protected override url(target: ModelTarget): string {
    return this.deploymentUrl(target, 'chat/completions');
  }

  protected override embeddingsUrl(target: ModelTarget): string {
    return this.deploymentUrl(target, 'embeddings');
  }

  private deploymentUrl(target: ModelTarget, operation: string): string {
    const deployment = encodeURIComponent(target.model);
    const version = encodeURIComponent(this.apiVersion);
    return `${this.apiBase(target)}/openai/deployments/${deployment}/${operation}?api-version=${version}`;
  }

  protected override headers(target: ModelTarget): Record<string, string> {
    return target.apiKey ? { 'api-key': target.apiKey } : {};
  }
}
