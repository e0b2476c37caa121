import { ExclusionRules } from './exclusion-rules';

describe(ExclusionRules.name, () => {
  const rules = new ExclusionRules(['*.env', 'secrets/', '/config/private/**', '!public.env', '# comment']);

  it.each([
    ['.env', true],
    ['prod.env', true],
    ['deep/dir/prod.env', true],
    ['public.env', false],
    ['secrets/key.pem', true],
    ['src/secrets/key.pem', true],
    ['./config/private/a/b.yml', true],
    ['other/config/private/a.yml', false],
    ['src/main.ts', false],
  ])('treats %s as excluded=%s', (path, excluded) => {
    expect(rules.isExcluded(path)).toBe(excluded);
  });

  it('reports an excluded path as a tool error the model can read', () => {
    expect(() => rules.assertAllowed('secrets/key.pem')).toThrow(/matches the project's Duo context exclusion rules/);
  });
});
