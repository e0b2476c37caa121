import { setTimeout as delay } from 'node:timers/promises';
import { ActionChannel } from '../session/action-channel';
import { HttpResult, httpResultOf } from '../session/action-result';
import { ToolError } from '../tools/tool-error';

export interface GitLabCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** From GitLab's root, with the query (§8). */
  path: string;
  body?: unknown;
  timeoutMs?: number;
}

const ATTEMPTS = 3;
const TRANSIENT = /timed out|timeout|connection refused|connection reset|econnrefused|econnreset|eof/i;

/**
 * GitLab as the user, through `runHTTPRequest` actions the executor performs (§6.6). The server's own calls
 * are retried on 5xx and transport failures: 3 attempts, backoff 1 s doubling up to 10 s (§4.3).
 */
export class GitLabHttp {
  constructor(
    private readonly channel: ActionChannel,
    private readonly sleep: (ms: number) => Promise<unknown> = delay,
  ) {}

  /** One attempt; transport failures are a `ToolError`, statuses are returned as they are. */
  async once(call: GitLabCall): Promise<HttpResult> {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const response = await this.channel.request(
      { runHTTPRequest: { method: call.method, path: call.path, ...(body === undefined ? {} : { body }) } },
      call.timeoutMs,
    );
    return httpResultOf(response);
  }

  async withRetries(call: GitLabCall): Promise<HttpResult> {
    for (let attempt = 1; ; attempt += 1) {
      const backoffMs = Math.min(1000 * 2 ** (attempt - 1), 10_000);
      try {
        const result = await this.once(call);
        if (result.statusCode < 500 || attempt === ATTEMPTS) return result;
      } catch (error) {
        if (!(error instanceof ToolError) || !TRANSIENT.test(error.message) || attempt === ATTEMPTS) throw error;
      }
      await this.sleep(backoffMs);
    }
  }
}
