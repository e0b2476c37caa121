import { parseUpstreamJson, statusError } from '../errors/upstream-errors';
import { ProviderHttp, UpstreamPost } from '../provider-definition';
import { readBodyStart, readBodyText, ResponseBody } from '../readers/response-limits';
import { readSseEvents, SseEvent } from '../readers/sse-parser';
import { UpstreamCall } from '../upstream-call';

/**
 * A {@link ProviderHttp} on Node's own `fetch`, for a provider package's tests: the same contract as the gateway's
 * pooled transport (limits, normalised errors, abort closing the connection, the call ended once answered), without
 * its pool settings and its process-wide budget of buffered answers. The
 * gateway hands its own transport to providers at registration; specs of the built-in providers pass that one.
 */
export class LoopbackHttp implements ProviderHttp {
  async postJson(post: UpstreamPost, call: UpstreamCall): Promise<unknown> {
    let text: string;
    try {
      const body = await this.send(post, call);
      text = await readBodyText(body, UNLIMITED, () => new Error('unreachable')).catch((error) => {
        throw call.failure(networkError(error), 'response');
      });
    } finally {
      call.end();
    }
    return parseUpstreamJson(text, 'the response body');
  }

  async *postSse(post: UpstreamPost, call: UpstreamCall): AsyncGenerator<SseEvent> {
    try {
      const body = await this.send(post, call);
      try {
        yield* readSseEvents(body);
      } catch (error) {
        throw call.failure(networkError(error), 'response');
      } finally {
        body.destroy();
      }
    } finally {
      call.end();
    }
  }

  private async send(post: UpstreamPost, call: UpstreamCall): Promise<ResponseBody> {
    let response: Response;
    try {
      response = await fetch(post.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...post.headers },
        body: JSON.stringify(post.body),
        signal: call.signal,
      });
    } catch (error) {
      throw call.failure(networkError(error), 'request');
    }
    const body = bodyOf(response.body);
    if (response.ok) return body;
    const text = await readBodyStart(body).catch(() => '');
    throw statusError(response.status, Object.fromEntries(response.headers), text);
  }
}

/** A test process has no budget of buffered answers to share; each answer still has its own limit. */
const UNLIMITED = { take: () => true, giveBack: () => undefined };

/** `fetch` wraps the socket's error (with its `code`) in a TypeError. */
function networkError(error: unknown): unknown {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return error instanceof TypeError && typeof cause?.code === 'string' ? cause : error;
}

/** A web stream as the readers take a body; `destroy` cancels it, which closes the connection. */
function bodyOf(stream: ReadableStream<Uint8Array> | null): ResponseBody {
  const reader = stream?.getReader();
  return {
    async *[Symbol.asyncIterator]() {
      if (!reader) return;
      for (let read = await reader.read(); !read.done; read = await reader.read()) yield read.value;
    },
    destroy() {
      reader?.cancel().catch(() => undefined);
    },
  };
}
