import { ErrorCode, ModelRequest } from '@gitlab-ai-gateway/provider-api';
import { collect, describeProviderConformance, LoopbackHttp, ModelFake } from '@gitlab-ai-gateway/provider-api/testing';
import { startTgiFake } from '../testing/tgi.server';
import tgi from './index';
import { TgiProvider } from './tgi.provider';

describeProviderConformance('tgi', {
  definition: tgi,
  standIn: startTgiFake,
  target: (url, apiKey) => ({ provider: 'tgi', model: 'bigcode/starcoder2-15b', apiBase: url, apiKey }),
  finishReasons: [
    ['eos_token', 'stop'],
    ['stop_sequence', 'stop'],
    ['length', 'length'],
  ],
  tools: false,
});

const FIM_PROMPT = '<fim_prefix>def add(a, b):\n    <fim_suffix>\n<fim_middle>';
const REQUEST: ModelRequest = {
  maxTokens: 64,
  temperature: 0.2,
  topP: 0.95,
  stop: ['<file_sep>'],
  messages: [{ role: 'user', content: FIM_PROMPT }],
};

describe(TgiProvider.name, () => {
  let fake: ModelFake;
  const provider = new TgiProvider(new LoopbackHttp());
  const target = () => ({ provider: 'tgi', model: 'starcoder2', apiBase: `${fake.url}/`, apiKey: 'hf_token' });

  beforeAll(async () => (fake = await startTgiFake()));
  afterAll(() => fake.close());

  it('posts the last user message as inputs to /generate, with the sampling parameters TGI takes', async () => {
    await provider.generate(target(), REQUEST);
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/generate');
    expect(request.headers.authorization).toBe('Bearer hf_token');
    expect(request.body).toEqual({
      inputs: FIM_PROMPT,
      parameters: {
        max_new_tokens: 64,
        temperature: 0.2,
        do_sample: true,
        top_p: 0.95,
        stop: ['<file_sep>'],
        return_full_text: false,
        details: true,
        decoder_input_details: true,
      },
    });
  });

  it('asks for greedy decoding for temperature 0 and sends no top_p of 1, which TGI refuses', async () => {
    await provider.generate(target(), { ...REQUEST, temperature: 0, topP: 1, stop: [] });
    expect(fake.requests.at(-1)!.body.parameters).toEqual({
      max_new_tokens: 64,
      do_sample: false,
      return_full_text: false,
      details: true,
      decoder_input_details: true,
    });
  });

  it('streams from /generate_stream without decoder_input_details, leaving out special tokens', async () => {
    fake.script({ chunks: ['return', ' a + b'] });
    const chunks = await collect(provider.stream(target(), REQUEST));
    expect(chunks.filter((chunk) => chunk.type === 'text').map((chunk) => chunk.text)).toEqual(['return', ' a + b']);
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/generate_stream');
    expect(request.body.parameters).not.toHaveProperty('decoder_input_details');
  });

  it('reports an overloaded error event inside the stream as rate limited', async () => {
    fake.script({ rawBody: ['data:{"error":"Model is overloaded","error_type":"overloaded"}\n\n'] });
    await expect(collect(provider.stream(target(), REQUEST))).rejects.toMatchObject({
      code: ErrorCode.ModelRateLimited,
      message: 'Model server failed mid-stream: Model is overloaded',
    });
  });

  it('refuses tools and requests without a user message', async () => {
    const tools = [{ name: 't', description: 'd', parameters: {} }];
    await expect(provider.generate(target(), { ...REQUEST, tools })).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
    await expect(provider.generate(target(), { messages: [{ role: 'system', content: 's' }] })).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
  });

  it('needs an endpoint', async () => {
    await expect(provider.generate({ ...target(), apiBase: undefined }, REQUEST)).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: 'model_endpoint is required for provider tgi',
    });
  });
});
