import { countTokens, keepFirstTokens, keepLastTokens, splitBudget, truncatePrefixSuffix } from './token-budget';

describe(splitBudget.name, () => {
  it('reserves 7 % of the budget for the suffix', () => {
    expect(splitBudget(2048)).toEqual({ maxPrefix: 1905, maxSuffix: 143 });
    expect(splitBudget(8192)).toEqual({ maxPrefix: 7619, maxSuffix: 573 });
  });
});

describe(countTokens.name, () => {
  it('counts four characters per token, rounding up', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('abcd')).toBe(1);
    expect(countTokens('abcde')).toBe(2);
  });
});

describe(truncatePrefixSuffix.name, () => {
  it('keeps short files whole', () => {
    expect(truncatePrefixSuffix('def add(a, b):\n    ', '\n', 2048)).toEqual({
      prefix: 'def add(a, b):\n    ',
      suffix: '\n',
      prefixTokens: 5,
      suffixTokens: 1,
    });
  });

  it('keeps the end of the prefix and the beginning of the suffix', () => {
    const prefix = `${'a'.repeat(10_000)}${'b'.repeat(1905 * 4)}`;
    const suffix = `${'c'.repeat(143 * 4)}${'d'.repeat(10_000)}`;
    const result = truncatePrefixSuffix(prefix, suffix, 2048);
    expect(result.prefix).toBe('b'.repeat(1905 * 4));
    expect(result.suffix).toBe('c'.repeat(143 * 4));
    expect(result.prefixTokens + result.suffixTokens).toBe(2048);
  });
});

describe(keepLastTokens.name, () => {
  it('never starts inside a surrogate pair', () => {
    expect(keepLastTokens('x😀abc', 1)).toBe('abc');
    expect(keepLastTokens('xy😀ab', 1)).toBe('😀ab');
  });
});

describe(keepFirstTokens.name, () => {
  it('never ends inside a surrogate pair', () => {
    expect(keepFirstTokens('abc😀x', 1)).toBe('abc');
    expect(keepFirstTokens('ab😀xy', 1)).toBe('ab😀');
  });

  it('keeps nothing for a budget of zero or less', () => {
    expect(keepFirstTokens('abc', 0)).toBe('');
    expect(keepFirstTokens('abc', -3)).toBe('');
  });
});
