import { Injectable } from '@nestjs/common';
import { request } from 'undici';
import { OutboundHttp, Traces } from '@app/common';
import {
  parseUpstreamJson,
  UpstreamPost,
  readBodyStart,
  readBodyText,
  readSseEvents,
  SseEvent,
  statusError,
  UpstreamCall,
} from '@gitlab-ai-gateway/provider-api';

type ResponseBody = Awaited<ReturnType<typeof request>>['body'];

/**
 * JSON-over-HTTP calls to model servers through the shared pooled client, failures normalised. Answers are read
 * within the limits of `response-limits.ts`; past one the connection is closed and the call fails as malformed.
 */
@Injectable()
export class UpstreamHttp {
  constructor(private readonly outbound: OutboundHttp) {}

  /** The parsed body of a 2xx answer. */
  async postJson(post: UpstreamPost, call: UpstreamCall): Promise<unknown> {
    const body = await this.send(post, call);
    let text: string;
    try {
      text = await readBodyText(body);
    } catch (error) {
      throw call.failure(error, 'response');
    }
    return parseUpstreamJson(text, 'the response body');
  }

  /** The server-sent events of a 2xx answer; leaving the loop early closes the upstream connection. */
  async *postSse(post: UpstreamPost, call: UpstreamCall): AsyncGenerator<SseEvent> {
    const body = await this.send(post, call);
    try {
      yield* readSseEvents(body);
    } catch (error) {
      throw call.failure(error, 'response');
    } finally {
      body.destroy();
    }
  }

  private async send(post: UpstreamPost, call: UpstreamCall): Promise<ResponseBody> {
    let response: Awaited<ReturnType<typeof request>>;
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...post.headers,
    };
    Traces.inject(headers);
    try {
      response = await request(post.url, {
        method: 'POST',
        dispatcher: this.outbound.dispatcher,
        headers,
        body: JSON.stringify(post.body),
        signal: call.signal,
      });
    } catch (error) {
      throw call.failure(error, 'request');
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response.body;
    const text = await readBodyStart(response.body).catch(() => '');
    throw statusError(response.statusCode, response.headers, text);
  }
}
