import { Injectable } from '@nestjs/common';
import { request } from 'undici';
import { OutboundHttp, Traces } from '@app/common';
import {
  parseUpstreamJson,
  readBodyStart,
  readBodyText,
  SseEvent,
  statusError,
  UpstreamCall,
  UpstreamPost,
} from '@gitlab-ai-gateway/provider-api';
import { ResponseBudget, ResponseBudgetExceeded } from './response-budget';
import { SsePushReader } from './sse-push-reader';

type ResponseBody = Awaited<ReturnType<typeof request>>['body'];

/**
 * JSON-over-HTTP calls to model servers through the shared pooled client, failures normalised. Answers are read
 * within the limits of `response-limits.ts` (past one the connection is closed and the call fails as malformed)
 * and whole ones within the process-wide {@link ResponseBudget}.
 */
@Injectable()
export class UpstreamHttp {
  constructor(
    private readonly outbound: OutboundHttp,
    private readonly budget: ResponseBudget = new ResponseBudget({}),
  ) {}

  /** The parsed body of a 2xx answer. */
  async postJson(post: UpstreamPost, call: UpstreamCall): Promise<unknown> {
    let text: string;
    try {
      const body = await this.send(post, call);
      text = await readBodyText(body, this.budget, () => new ResponseBudgetExceeded(this.budget)).catch((error) => {
        throw call.failure(error, 'response');
      });
    } finally {
      call.end();
    }
    return parseUpstreamJson(text, 'the response body');
  }

  /**
   * The server-sent events of a 2xx answer, parsed as they arrive ({@link SsePushReader}); the request leaves at
   * the first pull, and leaving the loop early closes the upstream connection.
   */
  postSse(post: UpstreamPost, call: UpstreamCall): AsyncIterable<SseEvent> {
    return new SsePushReader({
      open: () => this.send(post, call),
      failure: (error) => call.failure(error, 'response'),
      finished: () => call.end(),
    });
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
