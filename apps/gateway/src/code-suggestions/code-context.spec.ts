import { prependCodeContext } from './code-context';

const budget = { limit: 20, prefixTokens: 5, suffixTokens: 3, maxShare: 1 };

describe(prependCodeContext.name, () => {
  it('leaves the prefix alone without context', () => {
    expect(prependCodeContext([], 'def f():', budget)).toEqual({ prefix: 'def f():', sentTokens: 0, usedTokens: 0 });
  });

  it('joins the contents with newlines and prepends them', () => {
    expect(prependCodeContext(['import os', 'import re'], 'def f():', budget)).toEqual({
      prefix: 'import os\nimport re\ndef f():',
      sentTokens: 5,
      usedTokens: 5,
    });
  });

  it('keeps the beginning of the context within the budget left by prefix and suffix', () => {
    const context = 'x'.repeat(100);
    const result = prependCodeContext([context], 'p', budget);
    expect(result.prefix).toBe(`${'x'.repeat(48)}\np`);
    expect(result).toMatchObject({ sentTokens: 25, usedTokens: 12 });
  });

  it('caps the context at its share of the limit', () => {
    const result = prependCodeContext(['y'.repeat(100)], 'p', { ...budget, maxShare: 0.3 });
    expect(result.usedTokens).toBe(6);
  });

  it('drops the context when prefix and suffix fill the budget', () => {
    const result = prependCodeContext(['z'], 'p', { ...budget, prefixTokens: 17 });
    expect(result).toEqual({ prefix: 'p', sentTokens: 1, usedTokens: 0 });
  });
});
