import { nestsDeeperThan } from './json-depth';

const nested = (levels: number) => Buffer.from(`${'{"a":['.repeat(levels)}1${']}'.repeat(levels)}`);

describe(nestsDeeperThan.name, () => {
  it('counts arrays and objects alike', () => {
    expect(nestsDeeperThan(nested(32), 64)).toBe(false);
    expect(nestsDeeperThan(nested(33), 64)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: `${'['.repeat(1000)}"\\"${'{'.repeat(1000)}` });
    expect(nestsDeeperThan(Buffer.from(text), 2)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(`["\\\\", ${'['.repeat(5)}]`), 3)).toBe(true);
  });

  it('answers fast for millions of levels and leaves malformed text to the parser', () => {
    expect(nestsDeeperThan(Buffer.from('['.repeat(5_000_000)), 64)).toBe(true);
    expect(nestsDeeperThan(Buffer.from('["unterminated [[[['), 1)).toBe(false);
  });
});
