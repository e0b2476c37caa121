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
