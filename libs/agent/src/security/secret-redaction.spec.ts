import { redactSecrets, redactSecretsDeep } from './secret-redaction';

const PRIVATE_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFDrBz9vFqU4yGlHlmdTzT6lVbUcU+ex8pmSXZCqIpu/3Uo3hEtrS1ME3xZ1l7kZ',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

describe('redactSecrets', () => {
  it.each([
    ['a GitLab personal access token', 'token glpat-AbCdEfGhIjKlMnOpQrSt12 in use', 'token [REDACTED] in use'],
    ['a GitHub token', 'export GH=ghp_0123456789abcdefghijABCDEFGHIJ012345', 'export GH=[REDACTED]'],
    ['an AWS access key id', 'aws_id AKIAIOSFODNN7EXAMPLE here', 'aws_id [REDACTED] here'],
    [
      'a JWT',
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'Bearer [REDACTED]',
    ],
    ['an OpenAI key', 'OPENAI=sk-proj-abcdefghijklmnopqrstuvwx', 'OPENAI=[REDACTED]'],
    [
      'a password in a URL',
      'git clone https://deploy:hunter2pass@gitlab.example/a.git',
      'git clone https://deploy:[REDACTED]@gitlab.example/a.git',
    ],
    ['a password assignment', 'DB_PASSWORD="s3cr3t-Value"\nDB_USER=app', 'DB_PASSWORD="[REDACTED]"\nDB_USER=app'],
    ['a YAML api key', 'api_key: 9f8e7d6c5b4a', 'api_key: [REDACTED]'],
    ['a private key block', `before\n${PRIVATE_KEY}\nafter`, 'before\n[REDACTED]\nafter'],
    [
      'assignments inside JSON text',
      '{"log":"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\\nDB_PASSWORD=hunter22x"}',
      '{"log":"AWS_ACCESS_KEY_ID=[REDACTED]\\nDB_PASSWORD=[REDACTED]"}',
    ],
  ])('redacts %s', (_kind, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each([
    ['a git SHA', 'commit 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['a UUID', 'id 123e4567-e89b-12d3-a456-426614174000'],
    ['a variable reference', 'password: ${DB_PASSWORD}'],
    ['a prose mention', 'Reset your password in the settings page.'],
    ['a short value', 'password: abc'],
    ['a token count', '"total_tokens": 123456'],
    ['a megabyte of identifier characters', `password${'a'.repeat(1_000_000)}`],
    ['a megabyte of URL-like text', `x://${'a-'.repeat(500_000)}`],
  ])('leaves %s alone', (_kind, text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('redacts the strings of a JSON value and keeps its shape', () => {
    expect(redactSecretsDeep({ file_path: 'a.env', contents: 'TOKEN=glpat-AbCdEfGhIjKlMnOpQrSt12', n: 2 })).toEqual({
      file_path: 'a.env',
      contents: 'TOKEN=[REDACTED]',
      n: 2,
    });
  });
});
