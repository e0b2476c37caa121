import { Registry } from 'prom-client';
import { ErrorCode } from '@app/common';
import { ModelCapacity } from './model-capacity';

const KEY = { modelEngine: 'custom_openai', modelName: 'codestral' };

async function* chunks(...values: string[]): AsyncGenerator<string> {
  for (const value of values) yield value;
}

describe(ModelCapacity.name, () => {
  it('hands back the stream itself for a model without a limit', () => {
    const capacity = new ModelCapacity({ allowedEndpoints: [], customModelHeaders: {} } as never, new Registry());
    const stream = chunks('a');
    expect(capacity.stream(KEY, undefined, () => stream)).toBe(stream);
  });

  it('makes a limited stream only once admitted: a refused one never opens its upstream call', async () => {
    const options = { concurrencyLimits: { custom_openai: { codestral: 1 } }, queueTimeoutS: 0.05 };
    const capacity = new ModelCapacity(options as never, new Registry());
    const opened: string[] = [];
    const open = (name: string) => () => {
      opened.push(name);
      return chunks(name);
    };
    const holder = capacity.stream(KEY, undefined, open('first'))[Symbol.asyncIterator]();
    await expect(holder.next()).resolves.toEqual({ done: false, value: 'first' });
    const refused = capacity.stream(KEY, undefined, open('second'))[Symbol.asyncIterator]();
    await expect(refused.next()).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    expect(opened).toEqual(['first']);
    await holder.return?.(undefined);
    const third = capacity.stream(KEY, undefined, open('third'))[Symbol.asyncIterator]();
    await expect(third.next()).resolves.toEqual({ done: false, value: 'third' });
    expect(opened).toEqual(['first', 'third']);
  });
});
