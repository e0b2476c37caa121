import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FakeOidcProvider } from '../fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from '../fakes/openai-compatible.server';
import { GatewayProcess, spawnGateway } from '../helpers/gateway-process';
import { H_SCOPES, authHeaders, toMetadata, workflowAuthHeaders } from '../helpers/tokens';
import { FuzzTarget } from './fuzz-run';

/** The built gateway as its own process (so its RSS is its own), a stand-in GitLab and a stand-in model server. */
export interface FuzzStack {
  target: FuzzTarget;
  gateway: GatewayProcess;
  /** Resident set size of the gateway process, in bytes. */
  rssBytes(): number;
  /** Bytes of one `/metrics` scrape, and its status. */
  scrape(): Promise<{ status: number; bytes: number }>;
  close(): Promise<void>;
}

export async function startFuzzStack(env: Record<string, string> = {}): Promise<FuzzStack> {
  const [gitlab, model]: [FakeOidcProvider, OpenAiFake] = await Promise.all([
    FakeOidcProvider.start(),
    startOpenAiFake(),
  ]);
  const signingKey = () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const gateway = await spawnGateway({
    AIGW_GITLAB_URL: gitlab.issuer,
    AIGW_SELF_SIGNED_JWT__SIGNING_KEY: signingKey(),
    DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: signingKey(),
    AIGW_CUSTOM_MODELS__ENABLED: 'true',
    AIGW_MODEL_CLIENT__READ_TIMEOUT_S: '5',
    ...env,
  });
  const modelMetadata = JSON.stringify({ provider: 'openai', name: 'mistral', endpoint: model.url, api_key: 'k' });
  const target: FuzzTarget = {
    baseUrl: `http://127.0.0.1:${gateway.httpPort}`,
    grpcAddress: `127.0.0.1:${gateway.grpcPort}`,
    modelUrl: model.url,
    httpHeaders: {
      ...authHeaders(gitlab, [...H_SCOPES, 'include_file_context', 'explain_code', 'generate_embeddings']),
    },
    grpcMetadata: () => {
      const metadata = toMetadata(workflowAuthHeaders(gitlab));
      metadata.set('x-gitlab-agent-platform-model-metadata', modelMetadata);
      return metadata;
    },
    contract500: async (errorId) => {
      const line = await Promise.race([
        gateway.waitForLog((log) => log.error_id === errorId),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5_000).unref()),
      ]);
      return line?.error_code === 'internal_by_contract' ? String(line.message) : undefined;
    },
  };
  return {
    target,
    gateway,
    rssBytes: () => {
      const status = readFileSync(`/proc/${gateway.child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    scrape: async () => {
      const response = await fetch(`http://127.0.0.1:${gateway.metricsPort}/metrics`);
      return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
    },
    close: async () => {
      gateway.child.kill('SIGKILL');
      await gateway.exited;
      await Promise.all([model.close(), gitlab.close()]);
    },
  };
}
