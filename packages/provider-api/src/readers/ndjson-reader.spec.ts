import { ErrorCode } from '../errors/app-error';
import { readNdjson } from './ndjson-reader';

async function* bytes(...pieces: Array<string | number[]>): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) yield typeof piece === 'string' ? Buffer.from(piece) : Uint8Array.from(piece);
}

async function all(values: AsyncIterable<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  for await (const value of values) seen.push(value);
  return seen;
}

describe(readNdjson.name, () => {
  it('gives one value a line, whatever the reads, skipping blank lines and taking a last line without newline', async () => {
    const values = await all(readNdjson(bytes('{"a":', '1}\n\n{"b"', ':2}\r\n', '  \n{"c":3}')));
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('joins a UTF-8 character split across reads', async () => {
    const encoded = [...Buffer.from('{"t":"｜▁"}\n')];
    expect(await all(readNdjson(bytes(encoded.slice(0, 8), encoded.slice(8))))).toEqual([{ t: '｜▁' }]);
  });

  it('fails as malformed on a line that is not JSON, after the values before it', async () => {
    const seen: unknown[] = [];
    const failure = await (async () => {
      for await (const value of readNdjson(bytes('{"a":1}\n<html>\n'))) seen.push(value);
    })().catch((error: unknown) => error);
    expect(seen).toEqual([{ a: 1 }]);
    expect(failure).toMatchObject({ code: ErrorCode.ModelMalformed });
  });

  it('fails on a line past the limit while it is still arriving', async () => {
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (let sent = 0; sent < 1000; sent++) yield Buffer.from('x'.repeat(10));
      throw new Error('read past the limit');
    }
    await expect(all(readNdjson(endless(), 64))).rejects.toMatchObject({
      code: ErrorCode.ModelMalformed,
      message: 'Model server sent a malformed response: a JSON line is longer than 64 characters',
    });
  });
});
