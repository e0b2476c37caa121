import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueTlsMaterial } from '@test/fakes/oidc-provider';
import { configProblems } from '@test/helpers/config-problems';
import { loadAppConfig, readDotenv } from './load-config';

const rsaPem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('loadAppConfig', () => {
  it('starts from documented defaults when nothing is set', () => {
    const config = loadAppConfig({});
    expect(config.fastapi.apiPort).toBe(5052);
    expect(config.fastapi.metricsPort).toBe(8082);
    expect(config.agentPlatform.port).toBe(50052);
    expect(config.gitlabUrl).toEqual(['https://gitlab.com']);
    expect(config.customModels.enabled).toBe(false);
    expect(config.duoWorkflow.auth.enabled).toBe(true);
    expect(config.shutdownGracePeriodS).toBe(30);
  });

  it('nests on double underscores and matches names case-insensitively', () => {
    const config = loadAppConfig({ aigw_fastapi__api_port: '6000', AIGW_CUSTOM_MODELS__DISABLE_STREAMING: 'yes' });
    expect(config.fastapi.apiPort).toBe(6000);
    expect(config.customModels.disableStreaming).toBe(true);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['Off', false],
  ])('reads the boolean %p as %p', (text, value) => {
    expect(loadAppConfig({ AIGW_CUSTOM_MODELS__ENABLED: text }).customModels.enabled).toBe(value);
  });

  it('parses JSON dictionaries and lists', () => {
    const config = loadAppConfig({
      AIGW_FEATURE_FLAGS__DISALLOWED_FLAGS: '{"self-managed": ["expanded_ai_logging"]}',
      AIGW_GITLAB_URL: '["https://a.example", "https://b.example"]',
      AIGW_CUSTOM_MODELS__ALLOWED_ENDPOINTS: 'http://vllm:8000, https://ollama.internal',
    });
    expect(config.featureFlags.disallowedFlags).toEqual({ 'self-managed': ['expanded_ai_logging'] });
    expect(config.gitlabUrl).toEqual(['https://a.example', 'https://b.example']);
    expect(config.customModels.allowedEndpoints).toEqual(['http://vllm:8000', 'https://ollama.internal']);
  });

  it('accepts the upstream Agent Platform names as aliases, ours winning', () => {
    expect(loadAppConfig({ DUO_WORKFLOW_SHUTDOWN_GRACE_PERIOD_S: '5' }).shutdownGracePeriodS).toBe(5);
    expect(
      loadAppConfig({ DUO_WORKFLOW_SHUTDOWN_GRACE_PERIOD_S: '5', AIGW_SHUTDOWN_GRACE_PERIOD_S: '7' })
        .shutdownGracePeriodS,
    ).toBe(7);
    const { caFile } = issueTlsMaterial();
    expect(loadAppConfig({ REQUESTS_CA_BUNDLE: caFile }).caBundleFile).toBe(caFile);
    expect(loadAppConfig({ DUO_WORKFLOW_AUTH__ENABLED: 'False' }).duoWorkflow.auth.enabled).toBe(false);
  });

  it("accepts GitLab's PORT for the Agent Platform port, AIGW_AGENT_PLATFORM__PORT winning when both are set", () => {
    expect(loadAppConfig({ PORT: '50100' }).agentPlatform.port).toBe(50100);
    expect(loadAppConfig({ PORT: '50100', AIGW_AGENT_PLATFORM__PORT: '50200' }).agentPlatform.port).toBe(50200);
    expect(configProblems({ PORT: 'fifty' })).toEqual(['PORT: must be an integer between 0 and 65535 (got "fifty")']);
  });

  it('reads the proxy variables in either case, and masks a bad proxy URL (it may hold credentials)', () => {
    const config = loadAppConfig({
      https_proxy: 'http://proxy:3128',
      HTTP_PROXY: 'http://u:p@proxy:3129',
      no_proxy: 'localhost,.internal',
    });
    expect(config.proxy).toEqual({
      httpsProxy: 'http://proxy:3128',
      httpProxy: 'http://u:p@proxy:3129',
      noProxy: 'localhost,.internal',
    });
    expect(configProblems({ HTTPS_PROXY: 'secret@proxy' })).toEqual([
      'HTTPS_PROXY: must be an http(s) URL (got "****")',
    ]);
  });

  it('turns one-line PEM keys with literal \\n into real keys', () => {
    const pem = rsaPem();
    const config = loadAppConfig({ DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: pem.replace(/\n/g, '\\n') });
    expect(config.duoWorkflow.selfSignedJwt.signingKey).toBe(pem.trim());
  });

  it('names every bad variable at once, with the rule and the value', () => {
    const problems = configProblems({
      AIGW_FASTAPI__API_PORT: 'abc',
      AIGW_CUSTOM_MODELS__ENABLED: 'maybe',
      AIGW_GITLAB_URL: 'ftp://gitlab',
      AIGW_FEATURE_FLAGS__DISALLOWED_FLAGS: '{not json',
    });
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        'AIGW_FASTAPI__API_PORT: must be an integer between 0 and 65535 (got "abc")',
        'AIGW_CUSTOM_MODELS__ENABLED: must be one of true/false/1/0/yes/no/on/off (got "maybe")',
        expect.stringMatching(/^AIGW_GITLAB_URL: must be an http\(s\) URL/),
        expect.stringMatching(/^AIGW_FEATURE_FLAGS__DISALLOWED_FLAGS: must be a JSON object/),
      ]),
    );
  });

  it("reads AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS in GitLab's shape and names a limit that is not an integer ≥ 1", () => {
    const limits = { anthropic: { 'claude-3-5-sonnet': 10 }, agent: { 'Codegemma Code Completions': 2 } };
    const config = loadAppConfig({ AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS: JSON.stringify(limits) });
    expect(config.modelEngineConcurrencyLimits).toEqual(limits);
    for (const bad of ['{"anthropic": {"claude": 0}}', '{"anthropic": 3}', '{"a": {"b": 1.5}}', '[]', '{nope']) {
      expect(configProblems({ AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS: bad })).toEqual([
        expect.stringMatching(
          /^AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS: must be a JSON object \{"<engine>": \{"<model name>": <integer ≥ 1>\}\}/,
        ),
      ]);
    }
  });

  it('names auto among the accepted AIGW_WORKERS values', () => {
    expect(configProblems({ AIGW_WORKERS: 'many' })).toEqual([
      'AIGW_WORKERS: must be an integer between 1 and 256, or auto (got "many")',
    ]);
  });

  it('masks secret values in errors', () => {
    const [problem] = configProblems({ AIGW_SELF_SIGNED_JWT__SIGNING_KEY: 'super-secret-not-a-key' });
    expect(problem).toBe('AIGW_SELF_SIGNED_JWT__SIGNING_KEY: must be an RSA private key in PEM format (got "****")');
    expect(problem).not.toContain('super-secret');
  });

  it('names the alias the operator used', () => {
    expect(configProblems({ DUO_WORKFLOW_SHUTDOWN_GRACE_PERIOD_S: '-1' })[0]).toMatch(
      /^DUO_WORKFLOW_SHUTDOWN_GRACE_PERIOD_S: /,
    );
  });

  it('ignores unknown variables', () => {
    expect(() => loadAppConfig({ AIGW_SOMETHING_ELSE: 'x', AIGW_VERTEX_TEXT_MODEL__PROJECT: 'p' })).not.toThrow();
  });
});

describe('readDotenv', () => {
  it('finds the nearest .env from the working directory upwards', () => {
    const root = mkdtempSync(join(tmpdir(), 'aigw-env-'));
    const nested = join(root, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(root, '.env'), 'AIGW_FASTAPI__API_PORT=7000\n');
    expect(readDotenv(nested)).toEqual({ AIGW_FASTAPI__API_PORT: '7000' });
  });
});
