import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueTlsMaterial } from '@test/fakes/oidc-provider';
import { configProblems } from '@test/helpers/config-problems';

describe('file-path settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-files-'));
  const notPem = join(dir, 'not-pem.txt');
  writeFileSync(notPem, 'hello');
  const brokenPem = join(dir, 'broken.pem');
  writeFileSync(brokenPem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  const keyFile = join(dir, 'key.pem');
  writeFileSync(
    keyFile,
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );

  it('accepts a readable CA bundle and TLS files that hold what they should', () => {
    const tls = issueTlsMaterial();
    expect(
      configProblems({
        SSL_CERT_FILE: tls.caFile,
        DUO_WORKFLOW_TLS__ENABLED: 'true',
        DUO_WORKFLOW_TLS__CERT_FILE: tls.caFile,
        DUO_WORKFLOW_TLS__KEY_FILE: keyFile,
      }),
    ).toEqual([]);
  });

  it('names every bad file in the one configuration error, under the variable the operator set', () => {
    expect(
      configProblems({
        SSL_CERT_FILE: '/nonexistent.pem',
        DUO_WORKFLOW_TLS__ENABLED: 'true',
        DUO_WORKFLOW_TLS__KEY_FILE: notPem,
      }),
    ).toEqual([
      'SSL_CERT_FILE: no such file (got "/nonexistent.pem")',
      'DUO_WORKFLOW_TLS__CERT_FILE: is required when DUO_WORKFLOW_TLS__ENABLED is true (got "")',
      `DUO_WORKFLOW_TLS__KEY_FILE: holds no PEM private key (got ${JSON.stringify(notPem)})`,
    ]);
  });

  it('tells a directory, a file without certificates and a certificate that does not parse apart', () => {
    expect(configProblems({ AIGW_CA_BUNDLE_FILE: dir })).toEqual([
      `AIGW_CA_BUNDLE_FILE: is a directory, not a file (got ${JSON.stringify(dir)})`,
    ]);
    expect(configProblems({ AIGW_CA_BUNDLE_FILE: notPem })[0]).toMatch(/holds no PEM certificate/);
    expect(configProblems({ AIGW_CA_BUNDLE_FILE: brokenPem })[0]).toMatch(/holds a certificate that does not parse/);
  });

  it('checks that a log file can be written, in a folder that may not exist yet', () => {
    expect(configProblems({ AIGW_LOGGING__TO_FILE: join(dir, 'logs/new/gateway.log') })).toEqual([]);
    expect(configProblems({ AIGW_LOGGING__TO_FILE: dir })).toEqual([
      `AIGW_LOGGING__TO_FILE: is a directory, not a file (got ${JSON.stringify(dir)})`,
    ]);
    if (process.getuid?.() !== 0) {
      expect(configProblems({ AIGW_LOGGING__TO_FILE: '/proc/gateway.log' })[0]).toMatch(/cannot be written/);
    }
  });

  it('ignores the TLS files while TLS is off', () => {
    expect(configProblems({ DUO_WORKFLOW_TLS__ENABLED: 'false', DUO_WORKFLOW_TLS__CERT_FILE: '/nope' })).toEqual([]);
  });
});
