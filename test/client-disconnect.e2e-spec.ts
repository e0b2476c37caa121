import { FakeOidcProvider } from './fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { FakeReply } from '@gitlab-ai-gateway/provider-api/testing';
import { GatewayProcess, killSpawnedGateways, spawnGateway } from './helpers/gateway-process';
import { CC_FILE, ccBody } from './helpers/code-suggestion-bodies';
import { authHeaders } from './helpers/tokens';

/** A client that goes away mid-request is ordinary traffic (an IDE cancels stale completions all the time). */
describe('a client that goes away', () => {
  let gitlab: FakeOidcProvider;
  let model: OpenAiFake;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    [gitlab, model] = await Promise.all([FakeOidcProvider.start(), startOpenAiFake()]);
    gateway = await spawnGateway({ AIGW_GITLAB_URL: gitlab.issuer, AIGW_CUSTOM_MODELS__ENABLED: 'true' });
  });
  afterAll(async () => {
    killSpawnedGateways();
    await Promise.all([model.close(), gitlab.close()]);
  });

  const routes: Array<[string, (modelUrl: string) => Record<string, unknown>]> = [
    ['/v2/code/completions', (modelUrl) => ccBody(modelUrl, { stream: true })],
    [
      '/v4/code/suggestions',
      (modelUrl) => ({
        prompt_components: [
          {
            type: 'code_editor_generation',
            payload: { ...CC_FILE, stream: true, prompt: 'write add' },
            metadata: { source: 'gitlab', version: '18.0.0' },
          },
        ],
        model_metadata: { provider: 'openai', name: 'codegemma', endpoint: modelUrl, api_key: 'k' },
      }),
    ],
  ];
  const moments: Array<[string, FakeReply]> = [
    ['before the model answers', { chunks: ['ret'], stall: true }],
    ['after the first chunk', { chunks: ['ret', 'urn', 'x'], stallAfterChunks: 2 }],
  ];

  it.each(routes.flatMap(([path, body]) => moments.map(([when, reply]) => [path, when, body, reply] as const)))(
    '%s: going away %s closes the model request and logs nothing at error level',
    async (path, _when, body, reply) => {
      model.script(reply);
      const seen = model.requests.length;
      const errorsBefore = gateway.logs.filter((line) => line.level === 'error').length;
      const client = new AbortController();
      const response = fetch(`http://127.0.0.1:${gateway.httpPort}${path}`, {
        method: 'POST',
        headers: { ...authHeaders(gitlab), 'content-type': 'application/json' },
        body: JSON.stringify(body(model.url)),
        signal: client.signal,
      });
      const upstream = (await model.waitForRequests(seen + 1))[seen];
      if (!reply.stall) await (await response).body!.getReader().read();
      client.abort();
      await response.catch(() => undefined);
      await expect(upstream.closed).resolves.toBe('aborted');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(gateway.logs.filter((line) => line.level === 'error').slice(errorsBefore)).toEqual([]);
    },
  );
});
