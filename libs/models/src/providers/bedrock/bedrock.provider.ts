import {
  BedrockRuntimeClient,
  BedrockRuntimeClientConfig,
  ConverseCommand,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { Dispatcher } from 'undici';
import { Chunk, Completion, ModelProvider, ModelRequest, ModelTarget } from '../../model-types';
import { AwsOptions } from '../../models-options';
import { UpstreamCall } from '../../transport/upstream-call';
import { malformed } from '../../transport/upstream-errors';
import { BedrockHttpHandler } from './bedrock-http-handler';
import { fromConverseOutput, fromSdkError, toConverseInput } from './bedrock.mapper';
import { bedrockStreamChunks } from './bedrock.stream';

const DEFAULT_REGION = 'us-east-1';

/** AWS Bedrock Converse / ConverseStream through the official SDK (SigV4), on the shared connection pools. */
export class BedrockProvider implements ModelProvider {
  private readonly client: BedrockRuntimeClient;

  constructor(dispatcher: Dispatcher, aws: AwsOptions) {
    const { accessKeyId, secretAccessKey, sessionToken } = aws;
    this.client = new BedrockRuntimeClient({
      region: aws.region || DEFAULT_REGION,
      ...(accessKeyId && secretAccessKey && { credentials: { accessKeyId, secretAccessKey, sessionToken } }),
      ...(aws.bedrockEndpointUrl && { endpoint: aws.bedrockEndpointUrl }),
      maxAttempts: 1,
      requestHandler: new BedrockHttpHandler(dispatcher) as BedrockRuntimeClientConfig['requestHandler'],
    });
  }

  async generate(target: ModelTarget, request: ModelRequest): Promise<Completion> {
    const call = new UpstreamCall(request);
    try {
      const output = await this.client.send(new ConverseCommand(toConverseInput(target.model, request)), {
        abortSignal: call.signal,
      });
      return fromConverseOutput(output);
    } catch (error) {
      throw fromSdkError(error, call);
    }
  }

  async *stream(target: ModelTarget, request: ModelRequest): AsyncGenerator<Chunk> {
    const call = new UpstreamCall(request);
    // The SDK does not close the response when its event iterator is abandoned; aborting does.
    const finished = new AbortController();
    const signal = call.signal ? AbortSignal.any([call.signal, finished.signal]) : finished.signal;
    try {
      const output = await this.client.send(new ConverseStreamCommand(toConverseInput(target.model, request)), {
        abortSignal: signal,
      });
      if (!output.stream) throw malformed('the response has no event stream');
      yield* bedrockStreamChunks(output.stream);
    } catch (error) {
      throw fromSdkError(error, call);
    } finally {
      finished.abort();
    }
  }
}
