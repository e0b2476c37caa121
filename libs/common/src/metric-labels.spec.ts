import { LabelValues, OTHER_LABEL } from './metric-labels';

describe(LabelValues.name, () => {
  const labels = new LabelValues(['a', 'b'], new Set(['']));

  it('keeps a value of its sets', () => {
    expect(labels.of('a')).toBe('a');
    expect(labels.of('')).toBe('');
  });

  it('turns anything else into other', () => {
    expect(labels.of('x'.repeat(1_000_000))).toBe(OTHER_LABEL);
    expect(labels.of(undefined)).toBe(OTHER_LABEL);
    expect(labels.of(null)).toBe(OTHER_LABEL);
    expect(labels.of('constructor')).toBe(OTHER_LABEL);
  });
});
