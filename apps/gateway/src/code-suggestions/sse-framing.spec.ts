import { sseEvent, ssePing, withIdlePings } from './sse-framing';

describe(sseEvent.name, () => {
  it('frames an event with CRLF line ends and Python JSON', () => {
    expect(sseEvent('content_chunk', { choices: [{ delta: { content: 'def hello' }, index: 0 }] })).toBe(
      'event: content_chunk\r\ndata: {"choices": [{"delta": {"content": "def hello"}, "index": 0}]}\r\n\r\n',
    );
    expect(sseEvent('stream_end', null)).toBe('event: stream_end\r\ndata: null\r\n\r\n');
  });
});

describe(ssePing.name, () => {
  it('prints the time as Python prints an aware UTC datetime', () => {
    expect(ssePing(new Date('2024-11-20T16:46:23.123Z'))).toBe(': ping - 2024-11-20 16:46:23.123000+00:00\r\n\r\n');
    expect(ssePing(new Date('2024-11-20T16:46:23.000Z'))).toBe(': ping - 2024-11-20 16:46:23+00:00\r\n\r\n');
  });
});

describe(withIdlePings.name, () => {
  afterEach(() => jest.useRealTimers());

  /** A source whose chunks the test releases one by one. */
  function controlledSource() {
    const waiting: Array<(result: IteratorResult<string>) => void> = [];
    const iterable: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise((resolve) => waiting.push(resolve)),
        return: async () => ({ done: true, value: undefined }),
      }),
    };
    return {
      iterable,
      emit: (value: string) => waiting.shift()!({ done: false, value }),
      end: () => waiting.shift()!({ done: true, value: undefined }),
    };
  }

  it('inserts a ping only after the interval passes in silence, losing no chunk', async () => {
    jest.useFakeTimers();
    const source = controlledSource();
    const output = withIdlePings(source.iterable, 15_000, () => 'PING');

    const first = output.next();
    source.emit('a');
    expect(await first).toEqual({ done: false, value: 'a' });

    const second = output.next();
    await jest.advanceTimersByTimeAsync(14_999);
    source.emit('b');
    expect(await second).toEqual({ done: false, value: 'b' });

    const third = output.next();
    await jest.advanceTimersByTimeAsync(15_000);
    expect(await third).toEqual({ done: false, value: 'PING' });

    const fourth = output.next();
    source.emit('c');
    expect(await fourth).toEqual({ done: false, value: 'c' });

    const fifth = output.next();
    source.end();
    expect(await fifth).toEqual({ done: true, value: undefined });
    expect(jest.getTimerCount()).toBe(0);
  });
});
