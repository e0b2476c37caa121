import dns from 'node:dns';
import { Socket } from 'node:net';
import { FakeOidcProvider } from './fakes/oidc-provider';
import { startGateway, TestGateway } from './helpers/gateway';
import { authHeaders } from './helpers/tokens';

/** Hosts this process looked up or connected to while the hooks were on. */
class OutboundRecorder {
  readonly hosts: string[] = [];
  private readonly restore: Array<() => void> = [];

  start(): void {
    const record = (host: unknown) => {
      if (typeof host === 'string') this.hosts.push(host);
    };
    const lookup = dns.lookup;
    dns.lookup = ((host: string, ...rest: unknown[]) => {
      record(host);
      return (lookup as (...args: unknown[]) => unknown).call(dns, host, ...rest);
    }) as typeof dns.lookup;
    const promisedLookup = dns.promises.lookup;
    dns.promises.lookup = ((host: string, ...rest: unknown[]) => {
      record(host);
      return (promisedLookup as (...args: unknown[]) => unknown).call(dns.promises, host, ...rest);
    }) as typeof dns.promises.lookup;
    const connect = Socket.prototype.connect;
    Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
      const first = Array.isArray(args[0]) ? args[0][0] : args[0];
      record(typeof first === 'object' && first !== null ? (first as { host?: string }).host : args[1]);
      return (connect as (...connectArgs: unknown[]) => Socket).apply(this, args);
    } as typeof Socket.prototype.connect;
    this.restore.push(
      () => (dns.lookup = lookup),
      () => (dns.promises.lookup = promisedLookup),
      () => (Socket.prototype.connect = connect),
    );
  }

  stop(): void {
    this.restore.splice(0).forEach((undo) => undo());
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const ENDPOINT_REQUIRED = /^(model_endpoint|model_metadata\.endpoint) is required: /;

/**
 * issue 15 item 10 / gitlab-versions.md §2: a self-hosted gateway with no cloud key configured never looks up or
 * connects to a host that neither its configuration nor the request names — every request that would have gone
 * to a vendor's cloud is refused with 422 naming the endpoint field instead.
 */
describe('no request reaches a cloud the operator did not configure', () => {
  const outbound = new OutboundRecorder();
  let gateway: TestGateway;
  let gitlab: FakeOidcProvider;
  let headers: Record<string, string>;

  beforeAll(async () => {
    gitlab = await FakeOidcProvider.start();
    gateway = await startGateway({ AIGW_GITLAB_URL: gitlab.issuer, AIGW_CUSTOM_MODELS__ENABLED: 'true' });
    const scopes = ['complete_code', 'generate_code', 'duo_chat', 'explain_code', 'documentation_search'];
    headers = { ...authHeaders(gitlab, scopes), 'content-type': 'application/json' };
    // Fetch the OIDC keys now, so the hooks see only what the requests cause.
    await post('/v1/chat/explain_code', {});
    outbound.start();
  });
  afterAll(async () => {
    outbound.stop();
    await Promise.all([gateway.close(), gitlab.close()]);
  });

  const post = (path: string, body: unknown) =>
    fetch(`${gateway.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const file = { file_name: 'a.py', content_above_cursor: 'def add(a, b):\n    ', content_below_cursor: '' };
  const component = (payload: object) => ({
    prompt_components: [{ type: 'prompt', metadata: { source: 'GitLab EE', version: '17.0.0' }, payload }],
  });
  const v3 = (model_metadata?: object) => ({
    prompt_components: [{ type: 'code_editor_completion', payload: file }],
    ...(model_metadata && { model_metadata }),
  });

  it.each([
    ['/v1/chat/explain_code', component({ content: 'hi', provider: null, model: 'claude-3-5-sonnet-20240620' })],
    ['/v1/chat/agent', component({ content: 'hi', provider: 'anthropic', model: 'claude-3-sonnet-20240229' })],
    ['/v2/code/completions', { prompt_version: 1, current_file: file }],
    ['/v2/code/completions', { prompt_version: 1, current_file: file, model_provider: 'vertex-ai' }],
    ['/v2/code/completions', { prompt_version: 2, current_file: file, model_provider: 'anthropic', prompt: null }],
    [
      '/v2/code/completions',
      { prompt_version: 2, current_file: file, model_provider: 'codestral', model_name: 'codestral' },
    ],
    [
      '/v2/code/completions',
      { prompt_version: 2, current_file: file, model_provider: 'fireworks_ai', model_name: 'qwen2p5-coder-7b' },
    ],
    ['/v2/code/generations', { prompt_version: 2, current_file: file, prompt: 'add', model_provider: 'anthropic' }],
    ['/v2/code/generations', { prompt_version: 3, current_file: file, prompt: [{ role: 'user', content: 'add' }] }],
    ['/v3/code/completions', v3()],
    [
      '/v4/code/suggestions',
      v3({ provider: 'anthropic', name: 'claude_3', identifier: 'anthropic/claude-3-5-sonnet' }),
    ],
    ['/v1/prompts/model_configuration/check', { inputs: {} }],
    ['/v1/prompts/model_configuration/check', { inputs: {}, model_metadata: { provider: 'openai', name: 'mistral' } }],
    [
      '/v2/prompts/model_configuration/check',
      { inputs: {}, model_metadata: { provider: 'openai', name: 'codestral', identifier: 'mistral/codestral-latest' } },
    ],
    ['/v2/chat/agent', { messages: [{ role: 'user', content: 'hi' }] }],
    [
      '/v2/chat/agent',
      { messages: [{ role: 'user', content: 'hi' }], model_metadata: { provider: 'anthropic', name: 'claude_3' } },
    ],
  ])('%s %j → 422 naming the endpoint, no I/O', async (path, body) => {
    const before = outbound.hosts.length;
    const response = await post(path, body);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { detail: string }).detail).toMatch(ENDPOINT_REQUIRED);
    expect(outbound.hosts.slice(before).filter((host) => !LOOPBACK.has(host))).toEqual([]);
  });

  it('sees lookups of hosts a request does name (the hooks work)', async () => {
    const before = outbound.hosts.length;
    const response = await post('/v1/prompts/model_configuration/check', {
      inputs: {},
      model_metadata: { provider: 'openai', name: 'mistral', endpoint: 'http://model.invalid:8000/v1' },
    });
    expect(response.status).toBe(500);
    expect(outbound.hosts.slice(before)).toContain('model.invalid');
  });
});
