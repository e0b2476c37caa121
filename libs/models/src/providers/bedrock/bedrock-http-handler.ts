import { Readable } from 'node:stream';
import { Dispatcher, request } from 'undici';
import { Traces } from '@app/common';
import {
  limitBytes,
  MAX_RESPONSE_BYTES,
  MAX_STREAM_EVENT_SIZE,
  ResponseBody,
  ResponseTooLarge,
  sizeText,
} from '@gitlab-ai-gateway/provider-api';

const EVENT_STREAM = 'application/vnd.amazon.eventstream';

/** The parts of the AWS SDK's (smithy) HTTP request this handler reads. */
interface SdkHttpRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * Sends the AWS SDK's signed requests through the shared undici dispatcher, so Bedrock calls use the same
 * connection pools, limits, timeouts and CA bundle as every other model call. The SDK buffers whole bodies, and
 * each event-stream message at the size its prelude announces, so the body it gets is bounded as `UpstreamHttp`
 * bounds its own: 16 MiB for a whole body, 4 MiB for one event-stream message. Past that the body fails with
 * `ResponseTooLarge` and the connection is closed.
 */
export class BedrockHttpHandler {
  constructor(private readonly dispatcher: Dispatcher) {}

  async handle(sdkRequest: SdkHttpRequest, options: { abortSignal?: AbortSignal } = {}) {
    // After signing: `traceparent` is not a signed header, so adding it keeps the signature valid.
    Traces.inject(sdkRequest.headers);
    const response = await request(urlOf(sdkRequest), {
      method: sdkRequest.method as Dispatcher.HttpMethod,
      headers: sdkRequest.headers,
      body: sdkRequest.body,
      signal: options.abortSignal,
      dispatcher: this.dispatcher,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const body = headers['content-type']?.startsWith(EVENT_STREAM)
      ? limitEventStreamMessages(response.body, MAX_STREAM_EVENT_SIZE)
      : limitBytes(response.body, MAX_RESPONSE_BYTES);
    return { response: { statusCode: response.statusCode, headers, body: Readable.from(body, { objectMode: false }) } };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

function urlOf(sdkRequest: SdkHttpRequest): string {
  const port = sdkRequest.port ? `:${sdkRequest.port}` : '';
  const query = Object.entries(sdkRequest.query ?? {})
    .flatMap(([name, value]) => (Array.isArray(value) ? value.map((item) => [name, item]) : [[name, value]]))
    .map(([name, value]) => (value === null ? escape(name!) : `${escape(name!)}=${escape(value!)}`))
    .join('&');
  return `${sdkRequest.protocol}//${sdkRequest.hostname}${port}${sdkRequest.path}${query ? `?${query}` : ''}`;
}

/** RFC 3986, as SigV4 signs the query. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The chunks of an AWS event stream (each message opens with its total length, 4 bytes big-endian), failing as
 * soon as a message announces more than `maxBytes`, before any of it is buffered.
 */
export async function* limitEventStreamMessages(body: ResponseBody, maxBytes: number): AsyncGenerator<Uint8Array> {
  const prelude = Buffer.alloc(4);
  let preludeBytes = 0;
  /** Of the current message, after its length field. */
  let remaining = 0;
  try {
    for await (const chunk of body) {
      for (let at = 0; at < chunk.byteLength;) {
        if (remaining > 0) {
          const skipped = Math.min(remaining, chunk.byteLength - at);
          remaining -= skipped;
          at += skipped;
          continue;
        }
        const read = Math.min(4 - preludeBytes, chunk.byteLength - at);
        prelude.set(chunk.subarray(at, at + read), preludeBytes);
        preludeBytes += read;
        at += read;
        if (preludeBytes < 4) break;
        preludeBytes = 0;
        const total = prelude.readUInt32BE(0);
        if (total > maxBytes)
          throw new ResponseTooLarge(`an event-stream message is larger than ${sizeText(maxBytes)}`);
        // Shorter than its own length field: the SDK's decoder reports that.
        remaining = Math.max(total - 4, 0);
      }
      yield chunk;
    }
  } finally {
    body.destroy();
  }
}
