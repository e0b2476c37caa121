import { blankToEmpty, postProcessGeneration, prependNewline, stripCodeFences } from './generation-post-processing';

describe(postProcessGeneration.name, () => {
  it('removes fences and starts on a new line (http-api.md §2.7 example)', () => {
    expect(postProcessGeneration('def hello():\n  ', '```python\nprint(1)\n```')).toBe('\nprint(1)\n');
  });

  it('returns fenced code without the fences after a complete line', () => {
    expect(postProcessGeneration('# add\n', '```python\ndef add(a, b):\n    return a + b\n```\n')).toBe(
      'def add(a, b):\n    return a + b\n',
    );
  });

  it('prepends a newline after an unfinished line', () => {
    expect(postProcessGeneration('x = 1', 'y = 2')).toBe('\ny = 2');
  });

  it('turns whitespace-only output into an empty text', () => {
    expect(postProcessGeneration('x = 1', '  \n')).toBe('');
  });
});

describe(stripCodeFences.name, () => {
  it('deletes fence lines anywhere and trailing backticks', () => {
    expect(stripCodeFences('a\n```js\nb\n```')).toBe('a\nb\n');
    expect(stripCodeFences('code ```ts\nx')).toBe('code ```ts\nx');
  });
});

describe(prependNewline.name, () => {
  it('leaves empty text and text already on its own line alone', () => {
    expect(prependNewline('x', '')).toBe('');
    expect(prependNewline('x', '\ny')).toBe('\ny');
    expect(prependNewline('x\n', 'y')).toBe('y');
  });
});

describe(blankToEmpty.name, () => {
  it('keeps text with content', () => {
    expect(blankToEmpty(' a ')).toBe(' a ');
    expect(blankToEmpty('\t\n')).toBe('');
  });
});
