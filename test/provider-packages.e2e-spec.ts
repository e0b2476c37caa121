import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFake } from '@gitlab-ai-gateway/provider-api/testing';
import { startTgiFake } from './fakes/tgi.server';
import { CC_FILE } from './helpers/code-suggestion-bodies';
import { instructionsOf, readDockerfile, REPO_ROOT } from './helpers/dockerfile';
import { installProductionStage, npm, startInstalledGateway } from './helpers/production-install';

const TGI_PACKAGE = '@gitlab-ai-gateway/provider-tgi';

/**
 * docs/extending-providers.md as a platform team follows it: the example provider package is packed (`npm pack`,
 * which builds it), installed next to the gateway's production install (`npm ci --omit=dev`, as deploy/Dockerfile
 * does it) and loaded through AIGW_MODEL_PROVIDERS__MODULES; code suggestions then reach a stand-in TGI server.
 */
describe('a provider package loaded through AIGW_MODEL_PROVIDERS__MODULES', () => {
  const stages = readDockerfile();
  const [, ...args] = JSON.parse(instructionsOf(stages.at(-1)!, 'CMD')[0].args) as string[];
  let appDir: string;
  let packDir: string;
  let tgi: ModelFake;

  beforeAll(async () => {
    packDir = mkdtempSync(join(tmpdir(), 'aigw-provider-pack-'));
    [appDir, tgi] = await Promise.all([installProductionStage(stages), startTgiFake()]);
    await npm(join(REPO_ROOT, 'packages/provider-tgi'), ['pack', '--pack-destination', packDir]);
    const [tarball] = readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
    await npm(appDir, ['install', '--omit=dev', '--no-save', '--ignore-scripts', join(packDir, tarball)]);
  }, 240_000);

  afterAll(async () => {
    await tgi?.close();
    [appDir, packDir].forEach((dir) => dir && rmSync(dir, { recursive: true, force: true }));
  });

  const completion = (overrides: Record<string, unknown>) => ({
    prompt_version: 2,
    prompt: null,
    model_provider: 'litellm',
    model_name: 'codegemma',
    model_endpoint: tgi.url,
    model_api_key: 'hf_secret_token',
    model_identifier: 'tgi/codegemma',
    current_file: CC_FILE,
    ...overrides,
  });

  it('serves code suggestions through the installed TGI provider, whole and streamed, and keeps its error codes', async () => {
    const gateway = startInstalledGateway(appDir, args, {
      AIGW_MODEL_PROVIDERS__MODULES: TGI_PACKAGE,
      AIGW_AUTH__BYPASS_EXTERNAL: 'true',
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
    });
    try {
      const { http_port } = await gateway.listening;
      expect(await gateway.waitForLine(/"Configuration: /)).toContain(`provider packages ${TGI_PACKAGE};`);
      const post = (body: unknown) =>
        fetch(`http://127.0.0.1:${http_port}/v2/code/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      tgi.script({ text: 'return a + b', usage: { inputTokens: 9, outputTokens: 4 } });
      const whole = await post(completion({}));
      expect(whole.status).toBe(200);
      expect(((await whole.json()) as any).choices[0].text).toBe('return a + b');
      const generate = tgi.requests.at(-1)!;
      expect(generate.path).toBe('/generate');
      expect(generate.headers.authorization).toBe('Bearer hf_secret_token');
      expect(generate.body.inputs).toContain('def add(a, b):');

      tgi.script({ chunks: ['ret', 'urn', ' a + b'] });
      const streamed = await post(completion({ stream: true }));
      expect(streamed.status).toBe(200);
      expect(await streamed.text()).toBe('return a + b');
      expect(tgi.requests.at(-1)!.path).toBe('/generate_stream');

      // The provider's AppError is the gateway's own class (one copy of the provider API): a TGI 429 is a 429.
      tgi.script({ status: 429, retryAfter: '3', errorMessage: 'Model is overloaded' });
      const limited = await post(completion({}));
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
    } finally {
      gateway.child.kill('SIGKILL');
    }
  }, 60_000);

  it.each([
    ['@acme/no-such-provider', 'cannot be loaded: Cannot find module'],
    ['./package.json', 'exports no model provider'],
  ])(
    'fails to start when %s is named, saying which module and why',
    async (specifier, why) => {
      const gateway = startInstalledGateway(appDir, args, {
        AIGW_MODEL_PROVIDERS__MODULES: `${TGI_PACKAGE},${specifier}`,
      });
      expect(await gateway.exited).toEqual({ code: 1, signal: null });
      expect(gateway.stderr()).toContain(`AIGW_MODEL_PROVIDERS__MODULES: "${specifier}" ${why}`);
    },
    60_000,
  );
});
