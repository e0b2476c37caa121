import { cleanModelReflection, findCommonLineGroups, findNewlinePosition, splitCodeLines } from './model-reflection';

const block = 'aaaa = aaaa\n'.repeat(5);

describe(cleanModelReflection.name, () => {
  it('leaves a completion of the current line alone', () => {
    expect(cleanModelReflection('print(1)', ' + 2')).toBe(' + 2');
  });

  it('drops a repeated single-line comment', () => {
    expect(
      cleanModelReflection('# add two numbers\ndef add(a, b):\n', '    # add two numbers\n    return a + b\n'),
    ).toBe('\n    return a + b\n');
  });

  it('keeps a repeated single line of code', () => {
    expect(cleanModelReflection('x = 1\n', 'y = 2\nx = 1\n')).toBe('y = 2\nx = 1\n');
  });

  it('drops a repeated block of five or more ordinary lines', () => {
    expect(cleanModelReflection(`setup()\n${block}`, `${block}done()`)).toBe('\ndone()');
  });

  it('drops unmatched lines that fall inside a group, as the original does', () => {
    expect(cleanModelReflection(`setup()\n${block}`, `${block}done()\n`)).toBe('');
  });

  it('keeps a repeated block full of special characters', () => {
    const code = 'f(a[0]);\n'.repeat(5);
    expect(cleanModelReflection(`${code}`, `${code}`)).toBe(code);
  });
});

describe(findCommonLineGroups.name, () => {
  it('groups target lines whose matches are consecutive in the source', () => {
    expect(findCommonLineGroups(['abc', 'def', 'g'], ['abc', 'def', 'c', 'abc'])).toEqual([[0, 1], [3]]);
  });

  it('groups by source order, even across an unmatched target line', () => {
    expect(findCommonLineGroups(['a', 'b'], ['a', 'x', 'b'])).toEqual([[0, 2]]);
  });

  it('finds nothing in disjoint lists', () => {
    expect(findCommonLineGroups(['a'], ['b'])).toEqual([]);
  });
});

describe(findNewlinePosition.name, () => {
  it('is the start when the text before it ends a line (trailing blanks allowed)', () => {
    expect(findNewlinePosition('a\n  \tb', 4)).toBe(4);
  });

  it('is just after the next line break otherwise', () => {
    expect(findNewlinePosition('x = 1\ny', 5)).toBe(6);
    expect(findNewlinePosition('x = 1', 5)).toBe(-1);
  });
});

describe(splitCodeLines.name, () => {
  it('moves each line break to the front of the next line', () => {
    expect(splitCodeLines('a\nb\n')).toEqual(['a', '\nb', '\n']);
    expect(splitCodeLines('a\r\nb')).toEqual(['a\r', '\nb']);
    expect(splitCodeLines('')).toEqual([]);
  });
});
