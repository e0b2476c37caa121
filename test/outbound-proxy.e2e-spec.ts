import { ModelService, resolveModelTarget } from '@app/models';
import { BedrockFake, startBedrockFake } from './fakes/bedrock.server';
import { ConnectProxy } from './fakes/connect-proxy';
import { FakeOidcProvider, issueTlsMaterial } from './fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { collect } from './helpers/provider-kit';
import { authHeaders } from './helpers/tokens';

const hostOf = (url: string) => new URL(url).host;

/** Issue 14 defect 4: every outbound call (GitLab keys, model servers, Bedrock) goes through HTTPS_PROXY. */
describe('outbound calls through an enterprise proxy', () => {
  const tls = issueTlsMaterial();
  let proxy: ConnectProxy;
  let gitlab: FakeOidcProvider;
  let model: OpenAiFake;
  let bedrock: BedrockFake;
  let direct: OpenAiFake;
  let gateway: TestGateway;

  beforeAll(async () => {
    [proxy, gitlab, model, bedrock, direct] = await Promise.all([
      ConnectProxy.start(),
      FakeOidcProvider.start(tls),
      startOpenAiFake(),
      startBedrockFake(),
      startOpenAiFake(),
    ]);
    gateway = await startGateway({
      AIGW_GITLAB_URL: gitlab.issuer,
      SSL_CERT_FILE: tls.caFile,
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      AIGW_AWS__BEDROCK_ENDPOINT_URL: bedrock.url,
      AWS_ACCESS_KEY_ID: bedrock.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: bedrock.credentials.secretAccessKey,
      AWS_REGION_NAME: bedrock.credentials.region,
      // Lower-case names, as many images set them; credentials in the URL become Proxy-Authorization.
      https_proxy: proxy.url.replace('http://', 'http://egress:s3cret@'),
      http_proxy: proxy.url.replace('http://', 'http://egress:s3cret@'),
      no_proxy: hostOf(direct.url),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([proxy.close(), gitlab.close(), model.close(), bedrock.close(), direct.close()]);
  });

  const completion = (endpoint: string) =>
    fetch(`${gateway.baseUrl}/v2/code/completions`, {
      method: 'POST',
      headers: { ...authHeaders(gitlab), 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt_version: 2,
        model_provider: 'litellm',
        model_name: 'codegemma',
        model_endpoint: endpoint,
        model_api_key: 'k',
        current_file: { file_name: 'a.py', content_above_cursor: 'def f():\n    ', content_below_cursor: '' },
      }),
    });

  it('tunnels the GitLab key fetch (HTTPS, private CA) and a model call through the proxy, NO_PROXY hosts direct', async () => {
    model.script({ text: 'return 1' });
    const proxied = await completion(model.url);
    expect(proxied.status).toBe(200);
    expect(JSON.stringify(await proxied.json())).toContain('return 1');
    const bypassing = await completion(direct.url);
    expect(bypassing.status).toBe(200);

    expect(new Set(proxy.log())).toEqual(new Set([`CONNECT ${hostOf(gitlab.issuer)}`, `CONNECT ${hostOf(model.url)}`]));
    expect(proxy.seen.every((request) => request.authorization === `Basic ${btoa('egress:s3cret')}`)).toBe(true);
    expect([gitlab.discoveryRequests, model.requests.length, direct.requests.length]).toEqual([1, 1, 1]);
  });

  it('sends Bedrock calls (AWS SDK on the shared client) through the proxy too', async () => {
    bedrock.script({ chunks: ['Hel', 'lo'] });
    const target = resolveModelTarget(
      { name: 'claude_3', endpoint: '', identifier: 'bedrock/anthropic.claude-3-haiku-20240307-v1:0' },
      { provider: 'custom_openai', stripTrailingSlash: true, missingApiKey: 'None' },
    );
    const chunks = await collect(
      gateway.app.get(ModelService).stream(target, { messages: [{ role: 'user', content: 'hi' }], maxTokens: 5 }),
    );
    expect(chunks.filter((chunk) => chunk.type === 'text').map((chunk) => chunk.text)).toEqual(['Hel', 'lo']);
    expect(proxy.log()).toContain(`CONNECT ${hostOf(bedrock.url)}`);
    expect(bedrock.requests).toHaveLength(1);
    // The proxy's log, for the issue's closing note (issue 14: "the proxy test's log").
    const names = new Map([
      [hostOf(gitlab.issuer), 'GitLab (HTTPS)'],
      [hostOf(model.url), 'model server'],
      [hostOf(bedrock.url), 'Bedrock'],
    ]);
    const lines = proxy.log().map((line) => `${line}  <- ${names.get(line.split(' ')[1]) ?? 'unexpected'}`);
    process.stdout.write(`proxy saw:\n  ${lines.join('\n  ')}\n`);
  });
});
