import { PassThrough } from 'node:stream';
import { SseEvent } from '@gitlab-ai-gateway/provider-api';
import { SseReading, SsePushReader } from './sse-push-reader';

class Failure extends Error {}

function reader(body: PassThrough | Promise<PassThrough>, maxSize?: number) {
  const calls = { opened: 0, finished: 0 };
  const reading: SseReading = {
    open: async () => {
      calls.opened += 1;
      return body;
    },
    failure: (error) => new Failure(`mapped: ${(error as Error).message}`),
    finished: () => (calls.finished += 1),
  };
  return { events: new SsePushReader(reading, maxSize), calls };
}

async function collect(events: AsyncIterable<SseEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const event of events) out.push(`${event.event}:${event.data}`);
  return out;
}

describe('SsePushReader', () => {
  it('sends the request at the first pull, not before', async () => {
    const body = new PassThrough();
    const { events, calls } = reader(body);
    expect(calls.opened).toBe(0);
    const first = events.next();
    body.end('data: a\n\n');
    await expect(first).resolves.toEqual({ done: false, value: { event: 'message', data: 'a' } });
    expect(calls.opened).toBe(1);
  });

  it('parses events split across reads, several per read, and an unterminated last one', async () => {
    const body = new PassThrough();
    const { events, calls } = reader(body);
    const all = collect(events);
    body.write('data: {"a"');
    body.write(':1}\n\nevent: x\ndata: 2\n\ndata: 3\n');
    body.write(Buffer.from([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xc3])); // "data: " and half of "é"
    body.end(Buffer.from([0xa9, 0x0a]));
    await expect(all).resolves.toEqual(['message:{"a":1}', 'x:2', 'message:3\né']);
    expect(calls.finished).toBe(1);
  });

  it('delivers queued events before a failure, then the failure mapped by the call, once', async () => {
    const body = new PassThrough();
    const { events, calls } = reader(body);
    body.write('data: 1\n\ndata: 2\n\n');
    await expect(events.next()).resolves.toMatchObject({ value: { data: '1' } });
    body.destroy(new Error('socket reset'));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(events.next()).resolves.toMatchObject({ value: { data: '2' } });
    await expect(events.next()).rejects.toThrow('mapped: socket reset');
    await expect(events.next()).resolves.toEqual({ done: true, value: undefined });
    expect(calls.finished).toBe(1);
  });

  it('fails a waiting consumer when the body breaks', async () => {
    const body = new PassThrough();
    const { events } = reader(body);
    const pending = events.next();
    await new Promise((resolve) => setImmediate(resolve));
    body.destroy(new Error('gone'));
    await expect(pending).rejects.toBeInstanceOf(Failure);
  });

  it('fails when the body closes without ending', async () => {
    const body = new PassThrough();
    const { events } = reader(body);
    const pending = events.next();
    await new Promise((resolve) => setImmediate(resolve));
    body.destroy();
    await expect(pending).rejects.toThrow('closed before its end');
  });

  it('fails an event over the size limit and closes the body', async () => {
    const body = new PassThrough();
    const { events } = reader(body, 10);
    const pending = events.next();
    body.write(`data: ${'x'.repeat(20)}\n\n`);
    await expect(pending).rejects.toThrow(/mapped: .*longer than 10/);
    expect(body.destroyed).toBe(true);
  });

  it('passes on a failure to open as it is, and ends the call', async () => {
    const failure = new Failure('refused');
    const calls = { finished: 0 };
    const events = new SsePushReader({
      open: () => Promise.reject(failure),
      failure: () => new Error('not this one'),
      finished: () => (calls.finished += 1),
    });
    await expect(events.next()).rejects.toBe(failure);
    expect(calls.finished).toBe(1);
  });

  it('pauses the body while 64 events wait unread and resumes once they are taken', async () => {
    const body = new PassThrough();
    const { events } = reader(body);
    await expect(Promise.race([events.next(), Promise.resolve('pending')])).resolves.toBe('pending');
    body.write('data: 0\n\n'.repeat(100));
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.isPaused()).toBe(true);
    for (let index = 1; index < 100; index++) await events.next();
    expect(body.isPaused()).toBe(false);
  });

  it('destroys the body and ends the call when the consumer leaves early', async () => {
    const body = new PassThrough();
    const { events, calls } = reader(body);
    body.write('data: 1\n\ndata: 2\n\n');
    for await (const event of events) {
      expect(event.data).toBe('1');
      break;
    }
    expect(body.destroyed).toBe(true);
    expect(calls.finished).toBe(1);
  });

  it('destroys a body that arrives after the consumer left', async () => {
    const body = new PassThrough();
    let arrive!: (body: PassThrough) => void;
    const { events, calls } = reader(new Promise<PassThrough>((resolve) => (arrive = resolve)));
    const pending = events.next();
    await events.return();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    arrive(body);
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.destroyed).toBe(true);
    expect(calls.finished).toBe(1);
  });
});
