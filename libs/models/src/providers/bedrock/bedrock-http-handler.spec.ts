import { OutboundHttp } from '@app/common';
import { OpenAiFake, startOpenAiFake } from '../../../../../test/fakes/openai-compatible.server';
import { BedrockHttpHandler } from './bedrock-http-handler';

describe(BedrockHttpHandler.name, () => {
  let fake: OpenAiFake;
  let outbound: OutboundHttp;

  beforeAll(async () => {
    fake = await startOpenAiFake();
    outbound = new OutboundHttp({
      caBundleFile: '',
      maxConnectionsPerOrigin: 1,
      connectTimeoutS: 1,
      readTimeoutS: 5,
      keepAliveTimeoutS: 5,
    });
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
    expect(JSON.parse(await response.body.text()).model).toBe('m');
    const request = fake.requests.at(-1)!;
    expect(request.query.toString()).toBe('single=a+b&many=1&many=2&flag=');
    expect(request.headers['x-amz-date']).toBe('20250101T000000Z');
  });
});
