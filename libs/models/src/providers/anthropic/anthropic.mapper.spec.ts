import { fromMessagesResponse, toMessagesBody } from './anthropic.mapper';

describe(toMessagesBody.name, () => {
  it('joins system messages, merges consecutive turns and defaults max_tokens', () => {
    const body = toMessagesBody(
      'claude',
      {
        messages: [
          { role: 'system', content: 'One.' },
          { role: 'system', content: 'Two.' },
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
        stop: [],
      },
      false,
    );
    expect(body).toEqual({
      model: 'claude',
      system: 'One.\n\nTwo.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ],
      max_tokens: 4096,
      stream: false,
    });
  });

  it('sends arguments that are not JSON as an empty input', () => {
    const body = toMessagesBody(
      'claude',
      { messages: [{ role: 'assistant', content: 'x', toolCalls: [{ id: 't', name: 'n', arguments: '{oops' }] }] },
      false,
    );
    expect((body.messages as Array<{ content: unknown[] }>)[0].content[1]).toEqual({
      type: 'tool_use',
      id: 't',
      name: 'n',
      input: {},
    });
  });
});

describe(fromMessagesResponse.name, () => {
  it('needs content blocks', () => {
    expect(() => fromMessagesResponse({ type: 'message' })).toThrow('content is missing');
  });
});
