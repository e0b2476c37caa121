import { parseReactOutput } from './react-output-parser';

describe(parseReactOutput.name, () => {
  it('reads a final answer, trimmed', () => {
    expect(parseReactOutput('x\nFinal Answer: Hello world \n')).toEqual({ kind: 'final_answer', text: 'Hello world' });
  });

  it('reads a partial final answer as it grows', () => {
    expect(parseReactOutput('I know it.\nFinal Answer: Hel')).toEqual({ kind: 'final_answer', text: 'Hel' });
    expect(parseReactOutput('I know it.\nFinal Answer:')).toEqual({ kind: 'final_answer', text: '' });
  });

  it('reads an action with its thought and input', () => {
    expect(parseReactOutput('need issue\nAction: issue_reader\nAction Input: what is #1')).toEqual({
      kind: 'action',
      tool: 'issue_reader',
      toolInput: 'what is #1',
      thought: 'need issue',
    });
  });

  it('maps CamelCase tool names the models use', () => {
    expect(parseReactOutput('t\nAction: MergeRequestReader\nAction Input: !1')).toMatchObject({
      tool: 'merge_request_reader',
    });
  });

  it('leaves text without an action input or a final answer unknown, untrimmed', () => {
    expect(parseReactOutput(' Action: issue_reader\n')).toEqual({ kind: 'unknown', text: ' Action: issue_reader\n' });
    expect(parseReactOutput('just chatting')).toEqual({ kind: 'unknown', text: 'just chatting' });
  });
});
