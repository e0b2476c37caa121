import { ErrorCode, OutboundHttp, OutboundHttpOptions } from '@app/common';
import { OpenAiFake, startOpenAiFake } from '@test/fakes/openai-compatible.server';
import { MAX_ERROR_BODY_BYTES, ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { OpenAiCompatibleProvider } from '../providers/openai-compatible/openai-compatible.provider';
import { ResponseBudget } from './response-budget';
import { UpstreamHttp } from './upstream-http';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'hi' }] };
const MiB = 1024 * 1024;
const NO_NEWLINE = 'x'.repeat(64 * 1024);

async function drain(chunks: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of chunks);
}

const CLIENT: OutboundHttpOptions = {
  caBundleFile: '',
  maxConnectionsPerOrigin: 8,
  connectTimeoutS: 1,
  readTimeoutS: 5,
  keepAliveTimeoutS: 5,
};

describe(UpstreamHttp.name, () => {
  let fake: OpenAiFake;
  let outbound: OutboundHttp;
  let target: ModelTarget;

  function providerWith(options: Partial<OutboundHttpOptions>): OpenAiCompatibleProvider {
    outbound = new OutboundHttp({ ...CLIENT, ...options });
    return new OpenAiCompatibleProvider(new UpstreamHttp(outbound));
  }

  beforeEach(async () => {
    fake = await startOpenAiFake();
    target = { provider: 'custom_openai', model: 'm', apiBase: fake.url, apiKey: 'k' };
  });

  afterEach(async () => {
    await outbound.onApplicationShutdown();
    await fake.close();
  });

  it('closes the upstream connection as soon as the caller aborts a stream', async () => {
    const provider = providerWith({});
    fake.script({ chunks: ['first', 'never'], stallAfterChunks: 2 });
    const controller = new AbortController();
    const stream = provider.stream(target, { ...REQUEST, signal: controller.signal })[Symbol.asyncIterator]();
    expect(await stream.next()).toEqual({ done: false, value: { type: 'text', text: 'first' } });
    const [upstream] = await fake.waitForRequests(1);

    const abortedAt = performance.now();
    const next = stream.next().catch((error: unknown) => error);
    controller.abort();
    expect(await upstream.closed).toBe('aborted');
    expect(performance.now() - abortedAt).toBeLessThan(100);
    expect(await next).toMatchObject({ code: ErrorCode.Cancelled });
  });

  it('closes the upstream connection when the caller stops reading early', async () => {
    const provider = providerWith({});
    fake.script({ chunks: ['first', 'never'], stallAfterChunks: 2 });
    for await (const chunk of provider.stream(target, REQUEST)) {
      expect(chunk).toEqual({ type: 'text', text: 'first' });
      break;
    }
    expect(await fake.requests[0].closed).toBe('aborted');
  });

  it('aborts a request still waiting for its answer', async () => {
    const provider = providerWith({});
    fake.script({ stall: true });
    const controller = new AbortController();
    const pending = provider.generate(target, { ...REQUEST, signal: controller.signal });
    const [upstream] = await fake.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.Cancelled });
    expect(await upstream.closed).toBe('aborted');
  });

  it('times out when the upstream stays silent past the read timeout', async () => {
    const provider = providerWith({ readTimeoutS: 0.2 });
    fake.script({ stall: true });
    await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({ code: ErrorCode.ModelTimeout });
  });

  it('times out a stream that outlives the request budget, and closes it', async () => {
    const provider = providerWith({});
    fake.script({ chunks: ['a', 'b'], stallAfterChunks: 2 });
    const chunks = provider.stream(target, { ...REQUEST, timeoutS: 0.2 });
    await expect(
      (async () => {
        for await (const _ of chunks);
      })(),
    ).rejects.toMatchObject({
      code: ErrorCode.ModelTimeout,
    });
    expect(await fake.requests[0].closed).toBe('aborted');
  });

  it('reports a closed port as unreachable', async () => {
    const provider = providerWith({});
    await fake.close();
    await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.ModelUnreachable,
      message: 'Model server unreachable (ECONNREFUSED)',
    });
  });

  it('hands a connection back to the pool after a whole response and after a finished stream', async () => {
    const provider = providerWith({ maxConnectionsPerOrigin: 1 });
    await provider.generate(target, REQUEST);
    for await (const _ of provider.stream(target, REQUEST));
    await provider.generate(target, REQUEST);
    expect(fake.requests).toHaveLength(3);
    expect(fake.connectionCount).toBe(1);
  });

  it('with maxConnectionsPerOrigin 0 (no cap) sends every concurrent call at once, none waits for a connection', async () => {
    const provider = providerWith({ maxConnectionsPerOrigin: 0 });
    let release = () => {};
    fake.script({ text: 'done', hold: new Promise<void>((resolve) => (release = resolve)) });
    const calls = Array.from({ length: 300 }, () => provider.generate(target, REQUEST));
    await fake.waitForRequests(300);
    release();
    await Promise.all(calls);
    expect(fake.peakInFlight).toBe(300);
  });

  it('lets as many requests as the limit reach the upstream concurrently', async () => {
    const provider = providerWith({ maxConnectionsPerOrigin: 4 });
    let release = () => {};
    fake.script({ hold: new Promise<void>((resolve) => (release = resolve)) });
    const calls = Array.from({ length: 4 }, () => provider.generate(target, REQUEST));
    await fake.waitForRequests(4);
    release();
    await Promise.all(calls);
    expect(fake.peakInFlight).toBe(4);
  });

  it('fails a whole answer that would pass the process-wide budget as a model error, and gives its bytes back', async () => {
    outbound = new OutboundHttp(CLIENT);
    const budget = new ResponseBudget({ maxBufferedBytes: MiB });
    const provider = new OpenAiCompatibleProvider(new UpstreamHttp(outbound, budget));
    fake.script({ rawBody: ['{"choices": "'], endlessBody: NO_NEWLINE }, { text: 'fits' });
    await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.ModelFailed,
      message: 'Model answer dropped: the model answers this gateway holds in memory would exceed 1 MiB',
    });
    expect(await fake.requests[0].closed).toBe('aborted');
    expect(budget.usedBytes).toBe(0);
    expect((await provider.generate(target, REQUEST)).text).toBe('fits');
    expect(budget.usedBytes).toBe(0);
  });

  describe('with an answer that never ends', () => {
    it('stops reading a whole body past 16 MiB, closes the connection and reports it malformed', async () => {
      const provider = providerWith({});
      fake.script({ rawBody: ['{"choices": "'], endlessBody: NO_NEWLINE });
      await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({
        code: ErrorCode.ModelMalformed,
        message: 'Model server sent a malformed response: the response body is larger than 16 MiB',
      });
      expect(await fake.requests[0].closed).toBe('aborted');
    });

    it('stops reading an event-stream line past 4 MiB, closes the connection and reports it malformed', async () => {
      const provider = providerWith({});
      fake.script({ rawBody: ['data: {"choices": "'], endlessBody: NO_NEWLINE });
      await expect(drain(provider.stream(target, REQUEST))).rejects.toMatchObject({
        code: ErrorCode.ModelMalformed,
        message: `Model server sent a malformed response: an event-stream line is longer than ${4 * MiB} characters`,
      });
      expect(await fake.requests[0].closed).toBe('aborted');
    });

    it('stops reading an event whose data lines never end past 4 MiB, and closes the connection', async () => {
      const provider = providerWith({});
      fake.script({ endlessBody: `data: ${NO_NEWLINE}\n` });
      await expect(drain(provider.stream(target, REQUEST))).rejects.toMatchObject({
        code: ErrorCode.ModelMalformed,
        message: `Model server sent a malformed response: the data of one event-stream event is longer than ${4 * MiB} characters`,
      });
      expect(await fake.requests[0].closed).toBe('aborted');
    });

    it('keeps the start of an endless error body for the message, and closes the connection', async () => {
      const provider = providerWith({});
      fake.script({ status: 500, endlessBody: NO_NEWLINE });
      const failure = (await provider.generate(target, REQUEST).catch((error: unknown) => error)) as Error;
      expect(failure).toMatchObject({ code: ErrorCode.ModelFailed, upstreamStatus: 500 });
      expect(failure.message).toBe(`Model server failed (500): ${'x'.repeat(1000)}`);
      expect(await fake.requests[0].closed).toBe('aborted');
    });

    it('reads an error body up to the limit whole, and reuses the connection', async () => {
      const provider = providerWith({ maxConnectionsPerOrigin: 1 });
      const message = 'y'.repeat(MAX_ERROR_BODY_BYTES - 200);
      fake.script({ status: 400, errorMessage: message }, { text: 'fine' });
      await expect(provider.generate(target, REQUEST)).rejects.toMatchObject({ code: ErrorCode.ModelRejected });
      expect((await provider.generate(target, REQUEST)).text).toBe('fine');
      expect(fake.connectionCount).toBe(1);
    });
  });
});
