import { ModelFake } from '@gitlab-ai-gateway/provider-api/testing';
import { EnvRecord } from '../../apps/gateway/src/config';
import { FakeOidcProvider } from '../fakes/oidc-provider';
import { startOpenAiFake } from '../fakes/openai-compatible.server';
import { startGateway, TestGateway } from './gateway';
import { authHeaders, H_SCOPES } from './tokens';

export interface GatewayStackOptions<M extends ModelFake> {
  /**
   * Variables over the stack's own (`AIGW_GITLAB_URL` = the stand-in GitLab, `AIGW_CUSTOM_MODELS__ENABLED=true`);
   * a function gets the started stand-ins.
   */
  env?: EnvRecord | ((standIns: { gitlab: FakeOidcProvider; model: M }) => EnvRecord);
  /** Starts the stand-in model server; an OpenAI-compatible one (vLLM, Ollama) by default. */
  model?: () => Promise<M>;
}

/** The parts of a {@link useGatewayStack}; read them inside hooks and tests (they exist from `beforeAll` on). */
export interface GatewayStack<M extends ModelFake> {
  readonly gateway: TestGateway;
  /** The stand-in GitLab: its OIDC keys sign the instance tokens of {@link headers}. */
  readonly gitlab: FakeOidcProvider;
  readonly model: M;
  /** An authenticated JSON request's headers: an instance token with `scopes`, Rails' headers, then `extra`. */
  headers(scopes?: string[], extra?: Record<string, string>): Record<string, string>;
  /** POSTs `body` as JSON to `path` on the gateway, with {@link headers} unless others are given. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

/**
 * Boots the real app against a stand-in GitLab and a stand-in model server for the enclosing `describe`
 * (`beforeAll`), and stops all three after it (`afterAll`).
 */
export function useGatewayStack<M extends ModelFake = ModelFake>(
  options: GatewayStackOptions<M> = {},
): GatewayStack<M> {
  let gateway: TestGateway | undefined;
  let gitlab: FakeOidcProvider | undefined;
  let model: M | undefined;
  beforeAll(async () => {
    const startModel = options.model ?? (startOpenAiFake as () => Promise<M>);
    [gitlab, model] = await Promise.all([FakeOidcProvider.start(), startModel()]);
    const env = typeof options.env === 'function' ? options.env({ gitlab, model }) : options.env;
    gateway = await startGateway({ AIGW_GITLAB_URL: gitlab.issuer, AIGW_CUSTOM_MODELS__ENABLED: 'true', ...env });
  });
  afterAll(async () => {
    await Promise.all([gateway?.close(), model?.close(), gitlab?.close()]);
    gateway = gitlab = model = undefined;
  });
  const started = <T>(part: T | undefined): T => {
    if (part === undefined) throw new Error('useGatewayStack: read before its beforeAll ran, or after its afterAll');
    return part;
  };
  const stack: GatewayStack<M> = {
    get gateway() {
      return started(gateway);
    },
    get gitlab() {
      return started(gitlab);
    },
    get model() {
      return started(model);
    },
    headers: (scopes = H_SCOPES, extra = {}) => ({
      ...authHeaders(started(gitlab), scopes),
      'content-type': 'application/json',
      ...extra,
    }),
    post: (path, body, headers = stack.headers()) =>
      fetch(`${started(gateway).baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
  };
  return stack;
}
