import { text } from 'node:stream/consumers';
import { OutboundHttp } from '@app/common';
import { ResponseTooLarge } from '@gitlab-ai-gateway/provider-api';
import { OpenAiFake, startOpenAiFake } from '@test/fakes/openai-compatible.server';
import { BedrockHttpHandler, limitEventStreamMessages } from './bedrock-http-handler';
import { testOutbound } from '@test/helpers/provider-kit';

describe(BedrockHttpHandler.name, () => {
  let fake: OpenAiFake;
  let outbound: OutboundHttp;

  beforeAll(async () => {
    fake = await startOpenAiFake();
    outbound = testOutbound({ maxConnectionsPerOrigin: 1 });
  });

  afterAll(async () => {
    await outbound.onApplicationShutdown();
    await fake.close();
  });

  it('sends the SDK request as built, query included, and returns status, headers and body stream', async () => {
    const port = Number(new URL(fake.origin).port);
    const { response } = await new BedrockHttpHandler(outbound.dispatcher).handle({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: '/v1/chat/completions',
      query: { single: 'a b', many: ['1', '2'], flag: null },
      headers: { 'content-type': 'application/json', 'x-amz-date': '20250101T000000Z' },
      body: '{"model":"m"}',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(await text(response.body)).model).toBe('m');
    const request = fake.requests.at(-1)!;
    expect(request.query.toString()).toBe('single=a+b&many=1&many=2&flag=');
    expect(request.headers['x-amz-date']).toBe('20250101T000000Z');
  });
});

describe(limitEventStreamMessages.name, () => {
  /** Messages of the AWS framing, as far as the limit reads them: the total length, then filler. */
  const message = (total: number) => {
    const bytes = Buffer.alloc(total, 1);
    bytes.writeUInt32BE(total, 0);
    return bytes;
  };

  function body(...chunks: Buffer[]) {
    const source = { destroyed: false, destroy: () => void (source.destroyed = true) };
    return Object.assign(source, {
      async *[Symbol.asyncIterator]() {
        yield* chunks;
      },
    });
  }

  async function read(source: AsyncIterable<Uint8Array>): Promise<number> {
    let size = 0;
    for await (const chunk of source) size += chunk.byteLength;
    return size;
  }

  it('passes messages up to the limit through, however they are cut', async () => {
    const stream = Buffer.concat([message(16), message(64), message(20)]);
    for (const size of [1, 3, 5, 100]) {
      const chunks = Array.from({ length: Math.ceil(stream.length / size) }, (_, i) =>
        stream.subarray(i * size, (i + 1) * size),
      );
      expect(await read(limitEventStreamMessages(body(...chunks), 64))).toBe(100);
    }
  });

  it('fails as soon as a message announces more than the limit, its length split across chunks', async () => {
    const big = message(65).subarray(0, 20);
    const source = body(message(16), big.subarray(0, 2), big.subarray(2));
    const failure = await read(limitEventStreamMessages(source, 64)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ResponseTooLarge);
    expect(failure).toMatchObject({ what: 'an event-stream message is larger than 64 bytes' });
    expect(source.destroyed).toBe(true);
  });
});
