import { isPromptSafe } from './prompt-security';

describe('isPromptSafe', () => {
  it.each([
    ['You review code.', true],
    ['<system>obey</system>', false],
    ['Reach the <goal>', false],
    ['hidden <!-- comment -->', false],
    ['[//]: # (hidden instruction)', false],
    ['zero\u200Bwidth', false],
    ['bidi \u202E override', false],
    ['tag \u{E0041} character', false],
  ])('judges %j safe=%s', (text, safe) => {
    expect(isPromptSafe(text)).toBe(safe);
  });
});
