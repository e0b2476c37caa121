import { fromChatResponse, toFinishReason } from './openai-compatible.mapper';

describe(fromChatResponse.name, () => {
  it('reads a null content as empty text and no usage as none', () => {
    expect(fromChatResponse({ choices: [{ message: { content: null }, finish_reason: 'stop' }] })).toEqual({
      text: '',
      toolCalls: [],
      finishReason: 'stop',
      usage: undefined,
    });
  });

  it.each([{}, { choices: [] }, { choices: [{}] }, null])('rejects %j as malformed', (json) => {
    expect(() => fromChatResponse(json)).toThrow(/malformed/);
  });

  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['eos', 'unknown'],
    ['constructor', 'unknown'],
    [null, 'unknown'],
  ])('reads finish_reason %s as %s', (reason, finish) => {
    expect(toFinishReason(reason)).toBe(finish);
  });
});
