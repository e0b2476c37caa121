import { readSseEvents, SseEvent, SseParser } from './sse-parser';

function parseInPieces(text: string, size: number): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (let at = 0; at < text.length; at += size) events.push(...parser.push(text.slice(at, at + size)));
  return [...events, ...parser.end()];
}

async function* bytes(...pieces: Array<number[] | string>): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) yield typeof piece === 'string' ? Buffer.from(piece) : Uint8Array.from(piece);
}

describe(SseParser.name, () => {
  const stream = 'data: {"a":1}\n\nevent: ping\ndata: {}\n\ndata: [DONE]\n\n';
  const expected = [
    { event: 'message', data: '{"a":1}' },
    { event: 'ping', data: '{}' },
    { event: 'message', data: '[DONE]' },
  ];

  it.each([1, 2, 3, 7, 1000])('gives the same events when the text arrives %i characters at a time', (size) => {
    expect(parseInPieces(stream, size)).toEqual(expected);
  });

  it.each([1, 2, 5])('accepts CRLF and lone CR line breaks, split %i characters at a time', (size) => {
    expect(parseInPieces(stream.replace(/\n/g, '\r\n'), size)).toEqual(expected);
    expect(parseInPieces(stream.replace(/\n/g, '\r'), size)).toEqual(expected);
  });

  it('joins multi-line data with newlines', () => {
    expect(parseInPieces('data: first\ndata:second\ndata:  third\n\n', 4)).toEqual([
      { event: 'message', data: 'first\nsecond\n third' },
    ]);
  });

  it('skips comments, keep-alives, unknown fields and blank events', () => {
    expect(parseInPieces(': ping - 2024-01-01\n\n:\n\nid: 7\nretry: 10\n\ndata: x\n\n', 3)).toEqual([
      { event: 'message', data: 'x' },
    ]);
  });

  it('takes a line without a colon as a field with an empty value', () => {
    expect(parseInPieces('data\n\n', 2)).toEqual([{ event: 'message', data: '' }]);
  });

  it('delivers a final event that lacks its blank line', () => {
    expect(parseInPieces('data: a\n\ndata: last', 2)).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'last' },
    ]);
  });
});

describe(readSseEvents.name, () => {
  it('joins a UTF-8 character split across reads', async () => {
    const encoded = [...Buffer.from('data: ｜▁\n\n')];
    const events: SseEvent[] = [];
    for await (const event of readSseEvents(bytes(encoded.slice(0, 8), encoded.slice(8)))) events.push(event);
    expect(events).toEqual([{ event: 'message', data: '｜▁' }]);
  });

  it('ignores a byte order mark', async () => {
    const events: SseEvent[] = [];
    for await (const event of readSseEvents(bytes('\uFEFFdata: x\n\n'))) events.push(event);
    expect(events).toEqual([{ event: 'message', data: 'x' }]);
  });
});
