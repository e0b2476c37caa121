import { findJsonSyntaxError } from './json-syntax-error';

describe(findJsonSyntaxError.name, () => {
  it.each([
    ['', 0, 'Expecting value'],
    ['{"a":', 5, 'Expecting value'],
    ['{"a": x}', 6, 'Expecting value'],
    ['{a: 1}', 1, 'Expecting property name enclosed in double quotes'],
    ['{"a" 1}', 5, "Expecting ':' delimiter"],
    ['{"a": 1 "b": 2}', 8, "Expecting ',' delimiter"],
    ['[1 2]', 3, "Expecting ',' delimiter"],
    ['[1, 2,]', 6, 'Illegal trailing comma before end of array'],
    ['{"a": 1,}', 8, 'Illegal trailing comma before end of object'],
    ['{"a": "b', 6, 'Unterminated string starting at'],
    ['{"a": "b\\qc"}', 8, 'Invalid \\escape'],
    ['{"a": "\\u12"}', 8, 'Invalid \\uXXXX escape'],
    ['"a\u0001"', 2, 'Invalid control character at'],
    ['{} {}', 3, 'Extra data'],
    ['[[[[[[1]]]]]] x', 14, 'Extra data'],
    ['NaN', 0, 'Expecting value'],
  ])('places %j at %i: %s', (text, index, reason) => {
    expect(findJsonSyntaxError(text)).toEqual({ index, reason });
  });

  it('finds nothing wrong in valid JSON, however deep', () => {
    expect(findJsonSyntaxError('{"a": [1, -2.5e3, true, null, {"b": "\\u00e9\\n"}], "c": {}}')).toBeUndefined();
    expect(findJsonSyntaxError(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeUndefined();
  });
});
