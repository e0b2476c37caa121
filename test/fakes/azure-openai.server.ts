import { EncodedResponse, ModelFake, RecordedRequest, startModelFake } from '@gitlab-ai-gateway/provider-api/testing';
import { OpenAiWireFormat } from './openai-compatible.server';

const DEPLOYMENT_PATH = /^\/openai\/deployments\/[^/]+\/chat\/completions$/;

/**
 * Stand-in for an Azure OpenAI resource on loopback: `POST /openai/deployments/<deployment>/chat/completions
 * ?api-version=…` with an `api-key` header, answering in OpenAI's format. Without `api-version` it answers 404
 * and without `api-key` 401, as Azure does. `url` is the resource endpoint (`https://<name>.openai.azure.com`).
 */
export function startAzureOpenAiFake(): Promise<ModelFake> {
  return startModelFake(new AzureOpenAiWireFormat());
}

class AzureOpenAiWireFormat extends OpenAiWireFormat {
  override route(request: RecordedRequest): { stream: boolean } | undefined {
    if (!DEPLOYMENT_PATH.test(request.path) || !request.query.has('api-version')) return undefined;
    return super.route(request);
  }

  authenticate(request: RecordedRequest): EncodedResponse | undefined {
    if (request.headers['api-key']) return undefined;
    return this.error({ status: 401, errorMessage: 'Access denied due to invalid subscription key' });
  }
}
