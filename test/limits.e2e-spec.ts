import { ccBody } from './helpers/code-suggestion-bodies';
import { useGatewayStack } from './helpers/gateway-stack';
import { authHeaders } from './helpers/tokens';

const jsonOf = (response: Response): Promise<any> => response.json() as Promise<any>;

const metric = async (metricsUrl: string, line: string): Promise<number> => {
  const text = await (await fetch(metricsUrl)).text();
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found ? Number(found.split(' ')[1]) : 0;
};

/** Limits without Redis: the same limits, held by this one process (docs/scaling.md "Limits and cache"). */
describe('limits per user, instance and pool (in-memory store)', () => {
  const stack = useGatewayStack({
    env: {
      AIGW_LIMITS__PER_USER__CONCURRENT: '2',
      AIGW_LIMITS__PER_INSTANCE__REQUESTS_PER_MINUTE: '8',
      AIGW_LIMITS__PER_POOL__TOKENS_PER_MINUTE: '1000',
    },
  });
  /** An instance token of `instance` (its id must match the header) for `user`. */
  const asUser = (user: string, instance: string) => ({
    ...authHeaders(stack.gitlab, undefined, { sub: instance, gitlab_instance_id: instance }),
    'content-type': 'application/json',
    'x-gitlab-instance-id': instance,
    'x-gitlab-global-user-id': user,
  });
  const complete = (headers: Record<string, string>, overrides: Record<string, unknown> = {}) =>
    stack.post('/v2/code/completions', ccBody(stack.model.url, overrides), headers);

  it('refuses a user over the concurrent limit with 429 and Retry-After, other users still pass, and frees slots at the end', async () => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    stack.model.script({ text: 'x', hold });
    const seen = stack.model.requests.length;
    const held = [complete(asUser('u-busy', 'i-a')), complete(asUser('u-busy', 'i-a'))];
    await stack.model.waitForRequests(seen + 2);

    const refused = await complete(asUser('u-busy', 'i-a'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await jsonOf(refused)).detail).toMatch(/^Limit of 2 concurrent requests per user reached; retry in 1 s\./);
    // A streamed request is refused before its first byte, so it still gets the status.
    const streamed = await complete(asUser('u-busy', 'i-a'), { stream: true });
    expect(streamed.status).toBe(429);
    expect(streamed.headers.get('retry-after')).toBe('1');
    const rejections = 'gateway_limit_rejections_total{scope="user",limit="concurrent",pool="other"}';
    expect(await metric(stack.gateway.metricsUrl, rejections)).toBe(2);

    const other = complete(asUser('u-other', 'i-a'));
    await stack.model.waitForRequests(seen + 3);
    release();
    expect((await Promise.all([...held, other])).map((response) => response.status)).toEqual([200, 200, 200]);
    expect((await complete(asUser('u-busy', 'i-a'))).status).toBe(200);
  });

  it('holds an instance to its requests per minute across its users', async () => {
    stack.model.script({ text: 'x' });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await complete(asUser(`u-${i}`, 'i-rpm'))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
    const refused = await complete(asUser('u-late', 'i-rpm'));
    // 8 per minute: the next request fits in 7.5 s at most.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(8);
  });

  it("charges the model's reported usage to the pool's tokens per minute and refuses once it is spent", async () => {
    stack.model.script({ text: 'x', usage: { inputTokens: 900, outputTokens: 200 } });
    // The pool is the model endpoint's origin; this one is shared by every test here, so give it its own.
    const endpoint = stack.model.url.replace('127.0.0.1', 'localhost');
    expect((await complete(asUser('u-t1', 'i-t'), { model_endpoint: endpoint })).status).toBe(200);
    const refused = await complete(asUser('u-t2', 'i-t'), { model_endpoint: endpoint });
    expect(refused.status).toBe(429);
    expect((await jsonOf(refused)).detail).toMatch(/^Limit of 1000 tokens per minute per pool reached/);
  });
});

describe('completion cache (in memory)', () => {
  const stack = useGatewayStack({ env: { AIGW_COMPLETION_CACHE__ENABLED: 'true' } });
  const asUser = (user: string) => stack.headers(undefined, { 'x-gitlab-global-user-id': user });
  const complete = (user: string, overrides: Record<string, unknown> = {}) =>
    stack.post('/v2/code/completions', ccBody(stack.model.url, overrides), asUser(user));
  const textOf = async (response: Response) => (await jsonOf(response)).choices[0].text;

  it('answers an identical request of the same user from the cache, never another user, and counts hits and misses', async () => {
    stack.model.script({ text: 'return a + b' }, { text: 'second answer' });
    const seen = stack.model.requests.length;
    expect(await textOf(await complete('u-1'))).toBe('return a + b');
    expect(await textOf(await complete('u-1'))).toBe('return a + b');
    expect(stack.model.requests).toHaveLength(seen + 1);

    expect(await textOf(await complete('u-2'))).toBe('second answer');
    expect(await textOf(await complete('u-1', { model_name: 'codestral' }))).toBe('second answer');
    expect(stack.model.requests).toHaveLength(seen + 3);

    const lookups = 'gateway_completion_cache_requests_total';
    expect(await metric(stack.gateway.metricsUrl, `${lookups}{result="hit"}`)).toBe(1);
    expect(await metric(stack.gateway.metricsUrl, `${lookups}{result="miss"}`)).toBe(3);
  });

  it('caches a streamed completion and replays it to a streaming or whole-text request', async () => {
    stack.model.script({ chunks: ['def ', 'f(): pass'] }, { text: 'not called' });
    const seen = stack.model.requests.length;
    const streamed = await complete('u-3', {
      stream: true,
      current_file: { ...ccBody('').current_file, file_name: 's.py' },
    });
    expect(await streamed.text()).toBe('def f(): pass');
    const again = await complete('u-3', {
      stream: false,
      current_file: { ...ccBody('').current_file, file_name: 's.py' },
    });
    expect(await textOf(again)).toBe('def f(): pass');
    expect(stack.model.requests).toHaveLength(seen + 1);
  });
});
