import { AppError, ErrorCode } from '@app/common';
import { startOpenAiFake } from '@test/fakes/openai-compatible.server';
import { Chunk, ModelRequest } from '@gitlab-ai-gateway/provider-api';
import { UpstreamHttp } from '../../transport/upstream-http';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';
import { chatStreamChunks } from './openai-compatible.stream';
import { useStandIn } from '@test/helpers/provider-kit';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'hi' }] };

const delta = (content: string) => `data: {"choices":[{"index":0,"delta":{"content":"${content}"}}]}\n\n`;

/** Reads a stream until it fails; what came before the failure matters as much as the failure. */
async function readUntilFailure(chunks: AsyncIterable<Chunk>): Promise<{ chunks: Chunk[]; failure?: AppError }> {
  const seen: Chunk[] = [];
  try {
    for await (const chunk of chunks) seen.push(chunk);
    return { chunks: seen };
  } catch (error) {
    return { chunks: seen, failure: error as AppError };
  }
}

describe(chatStreamChunks.name, () => {
  const run = useStandIn(
    startOpenAiFake,
    (outbound) => new OpenAiCompatibleProvider(new UpstreamHttp(outbound)),
    (fake) => ({ provider: 'custom_openai', model: 'm', apiBase: fake.url, apiKey: 'k' }),
  );

  it('reads events split across writes, CRLF line ends, keep-alive comments and multi-line data', async () => {
    run.fake.script({
      rawBody: [
        'data: {"choices":[{"index":0,"del',
        'ta":{"content":"he"}}]}\r',
        '\n\r\n: keep-alive\r\n\r\n',
        'data: {"choices":\ndata: [{"index":0,"delta":{"content":"llo"},"finish_reason":"stop"}]}\n',
        '\n',
        'data: [DONE]\n\n',
      ],
    });
    expect((await readUntilFailure(run.provider.stream(run.target, REQUEST))).chunks).toEqual([
      { type: 'text', text: 'he' },
      { type: 'text', text: 'llo' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('fails as malformed when the connection is cut mid-stream', async () => {
    run.fake.script({ chunks: ['a', 'b', 'c'], cutAfterChunks: 2 });
    const { chunks, failure } = await readUntilFailure(run.provider.stream(run.target, REQUEST));
    expect(chunks).toEqual([{ type: 'text', text: 'a' }]);
    expect(failure).toMatchObject({ code: ErrorCode.ModelMalformed });
  });

  it('fails as malformed on invalid JSON, after the text before it', async () => {
    run.fake.script({ rawBody: [delta('ok'), 'data: {"choices": [\n\n', 'data: [DONE]\n\n'] });
    const { chunks, failure } = await readUntilFailure(run.provider.stream(run.target, REQUEST));
    expect(chunks).toEqual([{ type: 'text', text: 'ok' }]);
    expect(failure).toMatchObject({ code: ErrorCode.ModelMalformed });
  });

  it('stops reading at [DONE], even when the server keeps the response open', async () => {
    run.fake.script({ rawBody: [delta('x'), 'data: [DONE]\n\n', delta('late')], stallAfterChunks: 2 });
    expect((await readUntilFailure(run.provider.stream(run.target, REQUEST))).chunks).toEqual([
      { type: 'text', text: 'x' },
      { type: 'finish', reason: 'unknown' },
    ]);
  });
});
