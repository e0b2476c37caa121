import { configProblems } from '@test/helpers/config-problems';
import { loadAppConfig } from './load-config';

describe('model endpoint headers and Duo Chat settings (gitlab-versions.md §7)', () => {
  it('reads AIGW_CUSTOM_MODELS__EXTRA_HEADERS as a JSON object, header names lower-cased', () => {
    const config = loadAppConfig({
      AIGW_CUSTOM_MODELS__EXTRA_HEADERS: '{"X-Api-Gateway-Key": "k-123", "x-tenant": "acme"}',
    });
    expect(config.customModels.extraHeaders).toEqual({ 'x-api-gateway-key': 'k-123', 'x-tenant': 'acme' });
  });

  it.each([
    ['not JSON', 'must be a JSON object of header names and values'],
    ['["x"]', 'must be a JSON object of header names and values'],
    ['{"x-n": 1}', 'must map HTTP header names to printable ASCII string values'],
    ['{"bad name": "v"}', 'must map HTTP header names to printable ASCII string values'],
    ['{"x-n": "line\\nbreak"}', 'must map HTTP header names to printable ASCII string values'],
  ])('refuses AIGW_CUSTOM_MODELS__EXTRA_HEADERS=%s without printing its values', (value, rule) => {
    const [problem] = configProblems({ AIGW_CUSTOM_MODELS__EXTRA_HEADERS: value });
    expect(problem).toMatch(new RegExp(`^AIGW_CUSTOM_MODELS__EXTRA_HEADERS: ${rule.replace(/[()]/g, '\\$&')}`));
    expect(problem).not.toContain('line');
  });

  it('reads AIGW_CUSTOM_MODELS__USER_ID_HEADER as a header name, empty by default', () => {
    expect(loadAppConfig({}).customModels.userIdHeader).toBe('');
    expect(loadAppConfig({ AIGW_CUSTOM_MODELS__USER_ID_HEADER: 'X-End-User ' }).customModels.userIdHeader).toBe(
      'x-end-user',
    );
    expect(configProblems({ AIGW_CUSTOM_MODELS__USER_ID_HEADER: 'end user' })).toEqual([
      'AIGW_CUSTOM_MODELS__USER_ID_HEADER: must be an HTTP header name (got "end user")',
    ]);
  });

  it('reads AIGW_DUO_CHAT__MAX_TOKENS as a positive integer, unset by default', () => {
    expect(loadAppConfig({}).duoChat.maxTokens).toBeUndefined();
    expect(loadAppConfig({ AIGW_DUO_CHAT__MAX_TOKENS: '8192' }).duoChat.maxTokens).toBe(8192);
    expect(configProblems({ AIGW_DUO_CHAT__MAX_TOKENS: '0' })[0]).toMatch(
      /^AIGW_DUO_CHAT__MAX_TOKENS: must be an integer between 1 and 1000000/,
    );
  });
});
