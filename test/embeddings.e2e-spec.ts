import { fakeEmbedding, startEmbeddingsFake } from './fakes/openai-embeddings.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { useGatewayStack } from './helpers/gateway-stack';

const PATHS = [
  '/v1/embeddings/code_embeddings',
  '/v1/embeddings/code_embeddings/index',
  '/v1/embeddings/code_embeddings/search',
];
const SCOPES = ['generate_embeddings_codebase'];

describe('POST /v1/embeddings/code_embeddings (booted app, stand-in embeddings server)', () => {
  const stack = useGatewayStack({
    model: startEmbeddingsFake,
    env: {
      AIGW_MODEL_CLIENT__READ_TIMEOUT_S: '1',
      AIGW_EMBEDDINGS__MAX_CONTENTS: '3',
      AIGW_EMBEDDINGS__MAX_CONTENT_CHARS: '40',
    },
  });
  beforeEach(() => stack.model.script({}));

  const metadata = (extra: Record<string, unknown> = {}) => ({
    provider: 'litellm',
    name: 'embedding',
    identifier: 'openai/nomic-embed-code',
    endpoint: stack.model.url,
    api_key: 'sk-embed',
    ...extra,
  });
  const body = (extra: Record<string, unknown> = {}, metadataExtra: Record<string, unknown> = {}) => ({
    model_metadata: metadata(metadataExtra),
    contents: ['def add(a, b):', 'return a + b', 'class Point:'],
    ...extra,
  });
  const post = (payload: unknown, path = PATHS[0], scopes = SCOPES) => stack.post(path, payload, stack.headers(scopes));

  it.each(PATHS)('%s answers one prediction per input, in input order, from the /embeddings upstream', async (path) => {
    const seen = stack.model.requests.length;
    const response = await post(body({ dimensions: 4 }), path);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      model: { engine: 'litellm_embedding', name: 'embedding', identifier: 'openai/nomic-embed-code' },
      predictions: body().contents.map((text, index) => ({ embedding: fakeEmbedding(text, 4), index })),
    });
    const upstream = stack.model.requests[seen];
    expect(upstream.path).toBe('/v1/embeddings');
    expect(upstream.headers.authorization).toBe('Bearer sk-embed');
    expect(upstream.body).toEqual({ model: 'nomic-embed-code', input: body().contents, dimensions: 4 });
  });

  it('sends dummy_key for a bare model name without a key, and no key for a named provider without one', async () => {
    const seen = stack.model.requests.length;
    expect((await post(body({}, { identifier: 'bge-m3', api_key: null }))).status).toBe(200);
    expect((await post(body({}, { api_key: undefined }))).status).toBe(200);
    const [bare, named] = stack.model.requests.slice(seen);
    expect([bare.body.model, bare.headers.authorization]).toEqual(['bge-m3', 'Bearer dummy_key']);
    expect([named.body.model, named.headers.authorization]).toEqual(['nomic-embed-code', undefined]);
    expect(named.body.dimensions).toBeUndefined();
  });

  it.each([
    [
      { status: 400, errorMessage: 'input is too long' },
      400,
      'Model server rejected the request (400): invalid_request_error: input is too long',
    ],
    [
      { status: 422, errorMessage: 'bad dimensions' },
      400,
      'Model server rejected the request (422): invalid_request_error: bad dimensions',
    ],
    [
      { status: 401, errorMessage: 'invalid api key' },
      401,
      'Model server rejected the request (401): invalid_request_error: invalid api key',
    ],
    [
      { status: 403, errorMessage: 'forbidden' },
      401,
      'Model server rejected the request (403): invalid_request_error: forbidden',
    ],
    [
      { status: 429, errorMessage: 'slow down', retryAfter: '7' },
      429,
      'Model server rate limit (429): invalid_request_error: slow down',
    ],
    [{ stall: true }, 504, 'Model server went silent past the read timeout (UND_ERR_HEADERS_TIMEOUT)'],
    [{ status: 503, errorMessage: 'loading' }, 502, 'Model server failed (503): invalid_request_error: loading'],
    [
      { rawBody: ['{"data": "nope"}'] },
      502,
      'Model server sent a malformed response: the embeddings response has no data list',
    ],
  ])('maps the model answering %j to %i', async (reply, status, detail) => {
    stack.model.script(reply);
    const response = await post(body());
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ detail });
    if (status === 429) expect(response.headers.get('retry-after')).toBe('7');
  });

  it('answers 502 when the model server cannot be reached, without echoing the key', async () => {
    const response = await post(body({}, { endpoint: 'http://127.0.0.1:9/v1' }));
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('sk-embed');
  });

  it.each([
    [{}, { provider: 'openai' }, 'Allowed providers are: gitlab|litellm.'],
    [{}, { provider: 'gitlab' }, 'model provider gitlab is not available on a self-hosted AI gateway'],
    [{}, { name: null }, 'Model `name` must be set when using `litellm` provider.'],
    [{}, { name: 'codestral' }, "Model `name` must be 'embedding' when using `litellm` provider."],
    [{}, { endpoint: null }, 'Model `endpoint` must be set when using `litellm` provider.'],
    [{}, { endpoint: 'ftp://models/v1' }, 'model_metadata.endpoint must use http or https'],
    [{}, { identifier: 'bedrock/amazon.titan-embed-text-v2:0' }, 'model provider bedrock does not serve embeddings'],
  ])('answers 422 for %j %j: %s', async (extra, metadataExtra, detail) => {
    const seen = stack.model.requests.length;
    const response = await post(body(extra, metadataExtra));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ detail });
    expect(stack.model.requests.length).toBe(seen);
  });

  it('answers 422 in Pydantic’s shape past the configured limits on contents, before calling the model', async () => {
    const tooMany = await post(body({ contents: ['a', 'b', 'c', 'd'] }));
    expect(tooMany.status).toBe(422);
    expect(await tooMany.json()).toEqual({
      detail: [
        {
          type: 'too_long',
          loc: ['body', 'contents'],
          msg: 'List should have at most 3 items after validation, not 4',
          ctx: { field_type: 'List', max_length: 3, actual_length: 4 },
        },
      ],
    });
    const tooLong = await post(body({ contents: ['short', 'x'.repeat(41)] }));
    expect(((await tooLong.json()) as any).detail).toEqual([
      {
        type: 'string_too_long',
        loc: ['body', 'contents', 1],
        msg: 'String should have at most 40 characters',
        ctx: { max_length: 40 },
      },
    ]);
    const empty = await post(body({ contents: [] }));
    expect(((await empty.json()) as any).detail[0].msg).toBe(
      'List should have at least 1 item after validation, not 0',
    );
    const missing = await post({ model_metadata: { provider: 'litellm' }, contents: [1] });
    const issues = ((await missing.json()) as any).detail.map((issue: { loc: unknown[]; msg: string }) => [
      issue.loc,
      issue.msg,
    ]);
    expect(issues).toEqual(
      expect.arrayContaining([
        [['body', 'model_metadata', 'identifier'], 'Field required'],
        [['body', 'contents'], 'Input should be a valid string'],
      ]),
    );
  });

  it("answers 403 without the route's unit primitive", async () => {
    const response = await post(body(), PATHS[2], ['duo_chat']);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: "Unauthorized to access 'embeddings_code'" });
  });
});

describe('POST /v1/embeddings/code_embeddings with custom models disabled', () => {
  let gateway: TestGateway;
  beforeAll(async () => (gateway = await startGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true' })));
  afterAll(() => gateway.close());

  it('refuses a model endpoint, as upstream', async () => {
    const response = await fetch(`${gateway.baseUrl}/v1/embeddings/code_embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model_metadata: { provider: 'litellm', name: 'embedding', identifier: 'm', endpoint: 'http://127.0.0.1:9/v1' },
        contents: ['x'],
      }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      detail: 'specifying custom models endpoint is disabled: api_base is not allowed',
    });
  });
});
