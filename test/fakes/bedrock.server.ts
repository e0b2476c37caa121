import {
  EncodedResponse,
  EncodedStream,
  FakeReply,
  FakeToolCall,
  ModelFake,
  RecordedRequest,
  startModelFake,
  WireFormat,
} from '@gitlab-ai-gateway/provider-api/testing';
import { converseEvent, converseException } from './bedrock-event-stream';
import { SigV4Credentials, sigV4Problem } from './bedrock-sigv4';

export interface BedrockFake extends ModelFake {
  /** The credentials and region whose SigV4 signatures the fake accepts. */
  credentials: SigV4Credentials;
}

const ROUTE = /^\/model\/[^/]+\/(converse|converse-stream)$/;

const EXCEPTIONS: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  429: 'ThrottlingException',
  503: 'ServiceUnavailableException',
};

/**
 * Stand-in for the Bedrock runtime on loopback: `POST /model/<model id>/converse` (JSON) and
 * `…/converse-stream` (AWS event stream framing). Requests must carry a valid SigV4 signature for
 * `credentials` (service `bedrock`), else 403 as AWS answers. `url` is the endpoint override to configure.
 */
export async function startBedrockFake(
  credentials: SigV4Credentials = { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret', region: 'eu-west-1' },
): Promise<BedrockFake> {
  return { ...(await startModelFake(new BedrockWireFormat(credentials))), credentials };
}

class BedrockWireFormat implements WireFormat {
  constructor(private readonly credentials: SigV4Credentials) {}

  route(request: RecordedRequest): { stream: boolean } | undefined {
    const match = request.method === 'POST' ? ROUTE.exec(request.path) : null;
    return match ? { stream: match[1] === 'converse-stream' } : undefined;
  }

  authenticate(request: RecordedRequest): EncodedResponse | undefined {
    const problem = sigV4Problem(request, this.credentials);
    return problem ? exception(403, 'InvalidSignatureException', problem) : undefined;
  }

  reply(reply: FakeReply): EncodedResponse {
    const text = textOf(reply);
    const content = [
      ...(text ? [{ text }] : []),
      ...(reply.toolCalls ?? []).map((call) => ({
        toolUse: { toolUseId: call.id, name: call.name, input: JSON.parse(call.arguments) },
      })),
    ];
    const body = {
      output: { message: { role: 'assistant', content } },
      stopReason: stopReason(reply),
      usage: usageOf(reply),
      metrics: { latencyMs: 1 },
    };
    return { status: 200, headers: {}, body: JSON.stringify(body) };
  }

  stream(reply: FakeReply): EncodedStream {
    const texts = reply.chunks ?? [textOf(reply)];
    const events = [
      converseEvent('messageStart', { role: 'assistant' }),
      ...texts.map((text) => converseEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })),
      converseEvent('contentBlockStop', { contentBlockIndex: 0 }),
      ...(reply.toolCalls ?? []).flatMap((call, position) => toolBlockEvents(call, position + 1)),
      ...(reply.streamError ? [converseException('modelStreamErrorException', reply.streamError)] : []),
    ];
    const terminator = [
      converseEvent('messageStop', { stopReason: stopReason(reply) }),
      converseEvent('metadata', { usage: usageOf(reply), metrics: { latencyMs: 1 } }),
    ];
    return { contentType: 'application/vnd.amazon.eventstream', events, terminator };
  }

  error(reply: FakeReply): EncodedResponse {
    const status = reply.status ?? 500;
    const name = EXCEPTIONS[status] ?? 'InternalServerException';
    const response = exception(status, name, reply.errorMessage ?? `fake error ${status}`);
    return reply.retryAfter
      ? { ...response, headers: { ...response.headers, 'retry-after': reply.retryAfter } }
      : response;
  }
}

function exception(status: number, name: string, message: string): EncodedResponse {
  const headers = { 'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/` };
  return { status, headers, body: JSON.stringify({ message }) };
}

function textOf(reply: FakeReply): string {
  return reply.text ?? reply.chunks?.join('') ?? (reply.toolCalls ? '' : 'ok');
}

function stopReason(reply: FakeReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_use' : 'end_turn');
}

function usageOf(reply: FakeReply) {
  const { inputTokens = 0, outputTokens = 0 } = reply.usage ?? {};
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** A toolUse block: started with id and name, then its JSON input in two deltas. */
function toolBlockEvents(call: FakeToolCall, contentBlockIndex: number) {
  const half = Math.ceil(call.arguments.length / 2);
  return [
    converseEvent('contentBlockStart', {
      contentBlockIndex,
      start: { toolUse: { toolUseId: call.id, name: call.name } },
    }),
    ...[call.arguments.slice(0, half), call.arguments.slice(half)].map((input) =>
      converseEvent('contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input } } }),
    ),
    converseEvent('contentBlockStop', { contentBlockIndex }),
  ];
}
