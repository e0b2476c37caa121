import { toTextBody } from './text-completion-openai.mapper';

describe(toTextBody.name, () => {
  it('takes the last user message, even when an assistant turn follows it', () => {
    const body = toTextBody(
      'm',
      {
        messages: [
          { role: 'user', content: 'first' },
          { role: 'user', content: 'second' },
          { role: 'assistant', content: 'prefill' },
        ],
      },
      false,
    );
    expect(body).toEqual({ model: 'm', prompt: 'second', stream: false, n: 1 });
  });
});
