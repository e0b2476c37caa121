import { fromChatResponse, fromEmbeddingsResponse, toEmbeddingsBody } from './openai-compatible.mapper';

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
});

describe(fromEmbeddingsResponse.name, () => {
  it('puts the vectors in input order by their index, whatever order the server listed them in', () => {
    const json = {
      data: [
        { object: 'embedding', index: 1, embedding: [0.3, 0.4] },
        { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
      ],
      usage: { prompt_tokens: 7, total_tokens: 7 },
    };
    expect(fromEmbeddingsResponse(json, 2)).toEqual({
      vectors: [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
      usage: { inputTokens: 7 },
    });
  });

  it.each([
    [{}, 'the embeddings response has no data list'],
    [{ data: [{ index: 0, embedding: [1] }] }, 'the embeddings response has 1 vectors for 2 inputs'],
    [
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 0, embedding: [2] },
        ],
      },
      'embedding index 0 does not name',
    ],
    [
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 5, embedding: [2] },
        ],
      },
      'embedding index 5 does not name',
    ],
    [
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 1, embedding: 'AAAA' },
        ],
      },
      'embedding 1 is not a list of numbers',
    ],
    [
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 1, embedding: [null] },
        ],
      },
      'embedding 1 is not a list of numbers',
    ],
  ])('refuses %j as malformed', (json, message) => {
    expect(() => fromEmbeddingsResponse(json, 2)).toThrow(message);
  });

  it('sends dimensions only when asked', () => {
    expect(toEmbeddingsBody('m', { inputs: ['a'] })).toEqual({ model: 'm', input: ['a'] });
    expect(toEmbeddingsBody('m', { inputs: ['a'], dimensions: 256 })).toEqual({
      model: 'm',
      input: ['a'],
      dimensions: 256,
    });
  });
});
