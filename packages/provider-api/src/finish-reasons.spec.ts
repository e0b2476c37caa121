import { finishReasonMapper } from './finish-reasons';

describe(finishReasonMapper.name, () => {
  const toFinishReason = finishReasonMapper({ end_turn: 'stop', max_tokens: 'length' });

  it('reads the table it was given, and nothing else', () => {
    expect(toFinishReason('end_turn')).toBe('stop');
    expect(toFinishReason('max_tokens')).toBe('length');
    expect(toFinishReason('stop')).toBe('unknown');
    expect(toFinishReason('constructor')).toBe('unknown');
    expect(toFinishReason(undefined)).toBe('unknown');
  });
});
