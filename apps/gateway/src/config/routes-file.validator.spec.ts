import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblems } from '@test/helpers/config-problems';

describe('AIGW_MODEL_ROUTES__FILE', () => {
  const folder = mkdtempSync(join(tmpdir(), 'aigw-routes-config-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const routesAt = (name: string, text: string) => {
    writeFileSync(join(folder, name), text);
    return join(folder, name);
  };

  it('accepts a valid file, and no file', () => {
    const file = routesAt(
      'ok.yaml',
      'pools:\n  p:\n    backends: [{url: "http://a:1/v1"}]\nroutes:\n  - {match: {family: codestral}, pool: p}\n',
    );
    expect(configProblems({ AIGW_MODEL_ROUTES__FILE: file })).toEqual([]);
    expect(configProblems({})).toEqual([]);
  });

  it('fails boot naming each bad line, without the API keys of the file', () => {
    const file = routesAt(
      'bad.yaml',
      'pools:\n  p:\n    backends:\n      - url: "http://a:1/v1"\n        api_key: "sk-secret\\u0001x"\nroutes:\n  - {match: {family: codestral}, pool: q}\n',
    );
    const problems = configProblems({ AIGW_MODEL_ROUTES__FILE: file });
    expect(problems).toEqual([
      expect.stringContaining(
        'is not a valid routes file: line 5: pools.p.backends[0].api_key must contain only printable ASCII characters; line 7: routes[0].pool names no pool: q',
      ),
    ]);
    expect(problems[0]).toContain('AIGW_MODEL_ROUTES__FILE');
    expect(problems.join()).not.toContain('sk-secret');
  });

  it('names a file that cannot be read', () => {
    expect(configProblems({ AIGW_MODEL_ROUTES__FILE: join(folder, 'missing.yaml') })).toEqual([
      expect.stringContaining('is not a valid routes file: cannot be read (ENOENT)'),
    ]);
  });
});
