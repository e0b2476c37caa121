import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IGNORED_VARIABLES, knownVariables, unknownVariables } from './unknown-variables';

describe(unknownVariables.name, () => {
  it('names a typo and the known variable closest to it', () => {
    expect(
      unknownVariables({
        AIGW_CUSTOM_MODEL__ENABLED: 'true',
        duo_workflow_self_signed_jwt__signing_kye: 'x',
        AIGW_FASTAPI__API_PROT: '5052',
      }),
    ).toEqual([
      { name: 'AIGW_CUSTOM_MODEL__ENABLED', closest: 'AIGW_CUSTOM_MODELS__ENABLED' },
      { name: 'AIGW_FASTAPI__API_PROT', closest: 'AIGW_FASTAPI__API_PORT' },
      { name: 'duo_workflow_self_signed_jwt__signing_kye', closest: 'DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY' },
    ]);
  });

  it('knows every field, optional ones without a default included, in any case', () => {
    expect(
      unknownVariables({
        AIGW_MODEL_KEYS__MISTRAL_API_KEY: 'k',
        AIGW_AWS__BEDROCK_ENDPOINT_URL: 'http://bedrock',
        aigw_fastapi__api_port: '1',
        DUO_WORKFLOW_TLS__ENABLED: 'false',
        AIGW_FEATURE_FLAGS__DISALLOWED_FLAGS: '{}',
      }),
    ).toEqual([]);
  });

  it('passes the aliases, the accepted-and-ignored names and variables outside its prefixes', () => {
    expect(
      unknownVariables({
        DUO_WORKFLOW_SHUTDOWN_GRACE_PERIOD_S: '5',
        DUO_WORKFLOW_LOGGING__JSON_FORMAT: 'true',
        AIGW_VERTEX_TEXT_MODEL__PROJECT: 'p',
        AIGW_GOOGLE_CLOUD_PLATFORM__LOCATION: 'us',
        AIGW_FASTAPI__REDOC_URL: '/redoc',
        DUO_WORKFLOW_SERVICE_ENVIRONMENT: 'production',
        PORT: '50052',
        HOME: '/root',
        HTTPS_PROXY: 'http://proxy:3128',
      }),
    ).toEqual([]);
  });

  it('passes every variable of the upstream configuration tables (http-api.md §7, agent-platform.md §7)', () => {
    const upstream = [
      'AIGW_ENVIRONMENT',
      'AIGW_GITLAB_URL',
      'AIGW_GITLAB_API_URL',
      'AIGW_CUSTOMER_PORTAL_URL',
      'AIGW_GLGO_BASE_URL',
      'AIGW_MOCK_MODEL_RESPONSES',
      'AIGW_CUSTOM_MODELS__ENABLED',
      'AIGW_CUSTOM_MODELS__DISABLE_STREAMING',
      'AIGW_AUTH__BYPASS_EXTERNAL',
      'AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER',
      'AIGW_AUTH__BYPASS_JWT_SIGNATURE',
      'AIGW_SELF_SIGNED_JWT__SIGNING_KEY',
      'AIGW_SELF_SIGNED_JWT__VALIDATION_KEY',
      'AIGW_FASTAPI__API_HOST',
      'AIGW_FASTAPI__API_PORT',
      'AIGW_FASTAPI__METRICS_HOST',
      'AIGW_FASTAPI__METRICS_PORT',
      'AIGW_FASTAPI__DOCS_URL',
      'AIGW_FASTAPI__OPENAPI_URL',
      'AIGW_FASTAPI__REDOC_URL',
      'AIGW_FASTAPI__UVICORN_LOGGER',
      'AIGW_FASTAPI__RELOAD',
      'AIGW_LOGGING__LEVEL',
      'AIGW_LOGGING__FORMAT_JSON',
      'AIGW_LOGGING__TO_FILE',
      'AIGW_LOGGING__ENABLE_REQUEST_LOGGING',
      'AIGW_MODEL_KEYS__MISTRAL_API_KEY',
      'AIGW_MODEL_KEYS__FIREWORKS_API_KEY',
      'AIGW_MODEL_ENDPOINTS__FIREWORKS_REGIONAL_ENDPOINTS',
      'AIGW_GOOGLE_CLOUD_PLATFORM__PROJECT',
      'AIGW_VERTEX_TEXT_MODEL__ENDPOINT',
      'AIGW_VERTEX_SEARCH__FALLBACK_DATASTORE_VERSION',
      'AIGW_AMAZON_Q__REGION',
      'AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS',
      'AIGW_DEFAULT_PROMPTS',
      'AIGW_ABUSE_DETECTION__SAMPLING_RATE',
      'AIGW_FEATURE_FLAGS__DISALLOWED_FLAGS',
      'AIGW_F__CODE_SUGGESTIONS__EXCL_POST_PROC',
      'AIGW_INTERNAL_EVENT__BATCH_SIZE',
      'AIGW_SNOWPLOW__ENDPOINT',
      'AIGW_GOOGLE_CLOUD_PROFILER__PERIOD_MS',
      'AIGW_INSTRUMENTATOR__THREAD_MONITORING_INTERVAL',
      'AIGW_MOCK_USAGE_CREDITS',
      'DUO_WORKFLOW_AUTH__ENABLED',
      'DUO_WORKFLOW_AUTH__OIDC_GITLAB_URL',
      'DUO_WORKFLOW_AUTH__OIDC_CUSTOMER_PORTAL_URL',
      'DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY',
      'DUO_WORKFLOW_SELF_SIGNED_JWT__VALIDATION_KEY',
      'DUO_WORKFLOW_CLOUD_CONNECTOR_SERVICE_NAME',
      'DUO_WORKFLOW_TLS__ENABLED',
      'DUO_WORKFLOW_TLS__CERT_FILE',
      'DUO_WORKFLOW_TLS__KEY_FILE',
      'DUO_WORKFLOW_GRPC_REFLECTION_ENABLED',
      'DUO_WORKFLOW_SHUTDOWN_GRACE_PERIOD_S',
      'DUO_WORKFLOW_LOGGING__LEVEL',
      'DUO_WORKFLOW_LOGGING__JSON_FORMAT',
      'DUO_WORKFLOW_LOGGING__TO_FILE',
      'DUO_WORKFLOW_SERVICE_ENVIRONMENT',
      'DUO_WORKFLOW_GITLAB_SSL_CA_FILE',
    ];
    expect(unknownVariables(Object.fromEntries(upstream.map((name) => [name, 'x'])))).toEqual([]);
  });

  it('skips variables whose value is undefined', () => {
    expect(unknownVariables({ AIGW_NOT_A_THING: undefined })).toEqual([]);
  });

  it('includes the variables of sections added to the config (nested classes found by walking)', () => {
    expect(knownVariables()).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    for (const name of ['AIGW_PROXY__HTTPS_PROXY', 'AIGW_SHUTDOWN_UNREADY_DELAY_S', 'DUO_WORKFLOW_TLS__CERT_FILE']) {
      expect(knownVariables().has(name)).toBe(true);
    }
  });
});

describe('IGNORED_VARIABLES', () => {
  const docs = readFileSync(join(__dirname, '../../../../docs/configuration.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## Accepted and ignored'));

  it.each(IGNORED_VARIABLES)('%s is listed under "Accepted and ignored" in docs/configuration.md', (name) => {
    expect(section).toContain(`\`${name}\``);
  });
});
