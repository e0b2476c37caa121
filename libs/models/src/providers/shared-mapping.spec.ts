import { mergeTurns, parseToolArguments } from './shared-mapping';

describe(mergeTurns.name, () => {
  it('joins consecutive turns of one role and keeps alternating ones apart', () => {
    const turns = [
      { role: 'user', content: ['a'] },
      { role: 'user', content: ['b', 'c'] },
      { role: 'assistant', content: ['d'] },
      { role: 'user', content: ['e'] },
    ];
    expect(mergeTurns(turns)).toEqual([
      { role: 'user', content: ['a', 'b', 'c'] },
      { role: 'assistant', content: ['d'] },
      { role: 'user', content: ['e'] },
    ]);
  });

  it('leaves the turns it was given unchanged', () => {
    const first = { role: 'user', content: ['a'] };
    mergeTurns([first, { role: 'user', content: ['b'] }]);
    expect(first).toEqual({ role: 'user', content: ['a'] });
  });
});

describe(parseToolArguments.name, () => {
  it('parses JSON arguments and takes anything else as no arguments', () => {
    expect(parseToolArguments('{"path":"a.py"}')).toEqual({ path: 'a.py' });
    expect(parseToolArguments('{"path":')).toEqual({});
  });
});
