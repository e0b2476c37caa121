import { ErrorCode } from '../errors/app-error';
import { readSseEvents, SseEvent, SseParser } from './sse-parser';

function parseInPieces(text: string, size: number, parser = new SseParser()): SseEvent[] {
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

  it('takes a CR that ends one piece and an LF that opens the next as one line break', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\n\r')).toEqual([{ event: 'message', data: 'a' }]);
    expect(parser.push('\ndata: b\r\r')).toEqual([{ event: 'message', data: 'b' }]);
  });

  it('reads a long line that arrives a character at a time in linear time', () => {
    // Re-scanning the pending line on every piece made this ~16 s (quadratic); scanning each piece once, ~20 ms.
    const line = 'x'.repeat(200_000);
    const startedAt = performance.now();
    const events = parseInPieces(`data: ${line}\r\n\r\ndata: y\n\n`, 1);
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(events).toEqual([
      { event: 'message', data: line },
      { event: 'message', data: 'y' },
    ]);
  });

  describe('with a size limit', () => {
    const limited = () => new SseParser(16);

    it('accepts lines and events of exactly the limit', () => {
      const data = 'x'.repeat(10);
      expect(parseInPieces(`data: ${data}\n\ndata: 1234567\ndata: 12345678\n\n`, 3, limited())).toEqual([
        { event: 'message', data },
        { event: 'message', data: '1234567\n12345678' },
      ]);
    });

    it.each([1, 5, 100])(
      'fails on a line over the limit while it is still arriving, %i characters at a time',
      (size) => {
        const parser = limited();
        expect(() => parseInPieces(`: ${'x'.repeat(1000)}`, size, parser)).toThrow(
          expect.objectContaining({
            code: ErrorCode.ModelMalformed,
            message: 'Model server sent a malformed response: an event-stream line is longer than 16 characters',
          }),
        );
      },
    );

    it('fails on an event whose data lines together pass the limit, before its blank line', () => {
      const parser = limited();
      expect(parser.push('data: 12345678\n')).toEqual([]);
      expect(() => parser.push('data: 12345678\n')).toThrow(
        expect.objectContaining({
          code: ErrorCode.ModelMalformed,
          message:
            'Model server sent a malformed response: the data of one event-stream event is longer than 16 characters',
        }),
      );
    });

    it('counts every event on its own', () => {
      const stream = 'data: 1234567890\n\n'.repeat(1000);
      expect(parseInPieces(stream, 7, limited())).toHaveLength(1000);
    });
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
