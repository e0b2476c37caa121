import { Dispatcher, request } from 'undici';

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
 * connection pools, limits, timeouts and CA bundle as every other model call.
 */
export class BedrockHttpHandler {
  constructor(private readonly dispatcher: Dispatcher) {}

  async handle(sdkRequest: SdkHttpRequest, options: { abortSignal?: AbortSignal } = {}) {
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
    return { response: { statusCode: response.statusCode, headers, body: response.body } };
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
