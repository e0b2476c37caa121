import { ActionResponse } from '../contract/contract-types';
import { ActionChannel } from '../session/action-channel';
import { ToolError } from '../tools/tool-error';
import { GitLabHttp } from './gitlab-http';

/** Answers each request with the next scripted response. */
function scriptedChannel(responses: ActionResponse[]): { channel: ActionChannel; calls: number } {
  const state = { calls: 0 };
  const channel = {
    request: async () => responses[state.calls++],
  } as unknown as ActionChannel;
  return Object.assign(state, { channel });
}

const http = (statusCode: number, error = ''): ActionResponse => ({
  requestID: 'r',
  httpResponse: { statusCode, body: `${statusCode}`, headers: {}, error },
});

describe(GitLabHttp.name, () => {
  const sleeps: number[] = [];
  const sleep = async (ms: number) => void sleeps.push(ms);

  beforeEach(() => sleeps.splice(0));

  it('retries 5xx answers and transport failures with growing backoff, 3 attempts', async () => {
    const script = scriptedChannel([http(502), http(0, 'dial tcp: connection refused'), http(200)]);
    const result = await new GitLabHttp(script.channel, sleep).withRetries({ method: 'GET', path: '/x' });
    expect(result.statusCode).toBe(200);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('returns the last 5xx after three attempts', async () => {
    const script = scriptedChannel([http(500), http(503), http(504)]);
    expect((await new GitLabHttp(script.channel, sleep).withRetries({ method: 'GET', path: '/x' })).statusCode).toBe(
      504,
    );
  });

  it('does not retry 4xx answers or other action errors', async () => {
    const notFound = scriptedChannel([http(404)]);
    expect((await new GitLabHttp(notFound.channel, sleep).withRetries({ method: 'GET', path: '/x' })).statusCode).toBe(
      404,
    );
    const refused = scriptedChannel([http(0, 'body too large')]);
    await expect(new GitLabHttp(refused.channel, sleep).withRetries({ method: 'GET', path: '/x' })).rejects.toThrow(
      new ToolError('HTTP action error: body too large'),
    );
    expect(sleeps).toEqual([]);
  });
});
