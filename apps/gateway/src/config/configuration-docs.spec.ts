import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './app-config';

/** Every leaf of the config tree, as the variable that sets it. */
function variableNames(node: object, path: string[] = []): string[] {
  return Object.entries(node).flatMap(([key, value]) => {
    const here = [...path, key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()];
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor !== Object) {
      return variableNames(value, here);
    }
    return [here[0] === 'DUO_WORKFLOW' ? `DUO_WORKFLOW_${here.slice(1).join('__')}` : `AIGW_${here.join('__')}`];
  });
}

describe('docs/configuration.md', () => {
  const docs = readFileSync(join(__dirname, '../../../../docs/configuration.md'), 'utf8');
  const config = new AppConfig();
  // Optional fields without a default do not exist on a fresh instance; name them explicitly.
  const optional = [
    'AIGW_MODEL_KEYS__MISTRAL_API_KEY',
    'AIGW_MODEL_KEYS__ANTHROPIC_API_KEY',
    'AIGW_AWS__BEDROCK_ENDPOINT_URL',
    'AIGW_DUO_CHAT__MAX_TOKENS',
  ];

  it.each([...variableNames(config), ...optional])('documents %s', (name) => {
    const aliases: Record<string, string> = {
      AIGW_CA_BUNDLE_FILE: 'SSL_CERT_FILE',
      AIGW_AWS__ACCESS_KEY_ID: 'AWS_ACCESS_KEY_ID',
      AIGW_AWS__SECRET_ACCESS_KEY: 'AWS_SECRET_ACCESS_KEY',
      AIGW_AWS__SESSION_TOKEN: 'AWS_SESSION_TOKEN',
      AIGW_AWS__REGION: 'AWS_REGION',
    };
    expect(docs).toContain(`\`${aliases[name] ?? name}\``);
  });
});
