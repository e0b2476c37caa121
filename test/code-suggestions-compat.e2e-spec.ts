import { ccBody } from './helpers/code-suggestion-bodies';
import { useGatewayStack } from './helpers/gateway-stack';

/**
 * gitlab-versions.md §2–§3 on `/v2/code/completions`: the self-hosted model names GitLab 17.9–18.x sends, the one
 * rule for a request without an endpoint, the refused cloud-only providers, and a model's 429.
 */
describe('POST /v2/code/completions (GitLab 17.9 – 18.x names and rules)', () => {
  const stack = useGatewayStack();
  beforeEach(() => stack.model.script({ text: 'return a + b' }));

  const cc = (overrides: Record<string, unknown> = {}) => ccBody(stack.model.url, overrides);
  const post = (body: unknown) => stack.post('/v2/code/completions', body);
  async function upstreamOf(body: unknown) {
    const seen = stack.model.requests.length;
    const response = await post(body);
    const json = (await response.json()) as any;
    expect(stack.model.requests).toHaveLength(seen + 1);
    return { response, json, upstream: stack.model.requests[seen] };
  }
  async function detailOf(body: unknown): Promise<any> {
    const response = await post(body);
    expect(response.status).toBe(422);
    return ((await response.json()) as any).detail;
  }

  it.each([
    ['llama3', 'Llama 3 Code Completions', '/v1/completions'],
    ['qwen2p5-coder-7b', 'Qwen 2.5 Coder 7B Code Completions', '/v1/completions'],
    ['codestral-2501', 'Code Completions', '/v1/completions'],
    ['codestral-2508', 'Code Completions', '/v1/completions'],
    ['general', 'Code Completions', '/v1/completions'],
  ])('serves %s completions through the registry (gitlab-versions.md §3)', async (modelName, name, path) => {
    const { response, json, upstream } = await upstreamOf(cc({ model_name: modelName }));
    expect(response.status).toBe(200);
    expect(upstream.path).toBe(path);
    expect(upstream.body.model).toBe(modelName);
    expect(json.model).toMatchObject({ engine: 'agent', name, region: '' });
  });

  it.each([
    ['whole', false],
    ['streamed', true],
  ])("answers a model's 429 with 429 and its Retry-After, %s (gitlab-versions.md §3)", async (_name, stream) => {
    stack.model.script({ status: 429, retryAfter: '17' });
    const response = await post(cc({ stream }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('17');
    expect(await response.json()).toEqual({ detail: 'Too many requests. Please try again later.' });
  });

  it('keeps other model errors at 503 Inference failed', async () => {
    stack.model.script({ status: 500 });
    const response = await post(cc());
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.json()).toEqual({ detail: 'Inference failed' });
  });

  it.each([
    ['null', { model_endpoint: null }],
    ['absent', { model_endpoint: undefined }],
    ['absent, with no model_provider either', { model_endpoint: undefined, model_provider: undefined }],
    [
      'absent, with the Anthropic provider and no key configured',
      { model_endpoint: undefined, model_provider: 'anthropic' },
    ],
    [
      'absent, for the hosted Codestral and no key configured',
      { model_endpoint: undefined, model_provider: 'codestral' },
    ],
  ])(
    'accepts a %s model_endpoint and answers 422 naming it before any I/O (gitlab-versions.md §2; replaces §10 check 20)',
    async (_name, fields) => {
      const seen = stack.model.requests.length;
      const detail = await detailOf(cc(fields));
      expect(detail).toBe(
        'model_endpoint is required: the request names no model endpoint and this AI gateway has no cloud provider configured for it',
      );
      expect(stack.model.requests).toHaveLength(seen);
    },
  );

  it.each(['gitlab', 'amazon_q'])(
    'refuses model_provider %s with the text of gitlab-versions.md §4a',
    async (provider) => {
      const detail = await detailOf(cc({ model_provider: provider, role_arn: 'arn:aws:iam::1:role/q' }));
      expect(detail).toBe(`model provider ${provider} is not available on a self-hosted AI gateway`);
    },
  );
});
