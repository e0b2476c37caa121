import type { BedrockRuntimeClient, BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { Dispatcher } from 'undici';
import {
  Chunk,
  Completion,
  malformed,
  ModelProvider,
  ModelRequest,
  ModelTarget,
  UpstreamCall,
} from '@gitlab-ai-gateway/provider-api';
import { AwsOptions } from '../../models-options';
import { BedrockHttpHandler } from './bedrock-http-handler';
import { fromConverseOutput, fromSdkError, toConverseInput } from './bedrock.mapper';
import { bedrockStreamChunks } from './bedrock.stream';

const DEFAULT_REGION = 'us-east-1';

type BedrockSdk = typeof import('@aws-sdk/client-bedrock-runtime');

interface Connection {
  sdk: BedrockSdk;
  client: BedrockRuntimeClient;
}

/** AWS Bedrock Converse / ConverseStream through the official SDK (SigV4), on the shared connection pools. */
export class BedrockProvider implements ModelProvider {
  private connection?: Promise<Connection>;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly aws: AwsOptions,
  ) {}

  /** The AWS configuration says where Bedrock is; a request never names it. */
  servesWithoutEndpoint(): boolean {
    return true;
  }

  async generate(target: ModelTarget, request: ModelRequest): Promise<Completion> {
    const call = new UpstreamCall(request);
    try {
      const { sdk, client } = await this.connect();
      const output = await client.send(new sdk.ConverseCommand(toConverseInput(target.model, request)), {
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
      const { sdk, client } = await this.connect();
      const output = await client.send(new sdk.ConverseStreamCommand(toConverseInput(target.model, request)), {
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

  /** The SDK loads on the first Bedrock call: loaded at boot it costs every start ~35 ms and ~10 MB. */
  private connect(): Promise<Connection> {
    this.connection ??= import('@aws-sdk/client-bedrock-runtime').then((sdk) => {
      const { accessKeyId, secretAccessKey, sessionToken, region, bedrockEndpointUrl } = this.aws;
      const client = new sdk.BedrockRuntimeClient({
        region: region || DEFAULT_REGION,
        ...(accessKeyId && secretAccessKey && { credentials: { accessKeyId, secretAccessKey, sessionToken } }),
        ...(bedrockEndpointUrl && { endpoint: bedrockEndpointUrl }),
        maxAttempts: 1,
        requestHandler: new BedrockHttpHandler(this.dispatcher) as BedrockRuntimeClientConfig['requestHandler'],
      });
      return { sdk, client };
    });
    return this.connection;
  }
}
