import { maskSecrets } from './secret-mask';

describe(maskSecrets.name, () => {
  it('masks secret fields up to three levels deep, arrays included', () => {
    const fields = {
      model_api_key: 'sk-1',
      headers: { authorization: 'Bearer eyJ' },
      body: { model_metadata: { api_key: 'sk-2' } },
      items: [{ token: 't' }],
      deeper: { a: { b: { api_key: 'left alone' } } },
    };
    expect(maskSecrets(fields)).toEqual({
      model_api_key: '**********',
      headers: { authorization: '**********' },
      body: { model_metadata: { api_key: '**********' } },
      items: [{ token: '**********' }],
      deeper: { a: { b: { api_key: 'left alone' } } },
    });
  });

  it('leaves the caller’s objects unchanged and returns them as they are when nothing is secret', () => {
    const headers = { authorization: 'Bearer eyJ', accept: '*/*' };
    const fields = { headers, path: '/v2/code/completions' };
    maskSecrets(fields);
    expect(headers.authorization).toBe('Bearer eyJ');
    const plain = { path: '/', nested: { status: 200 } };
    expect(maskSecrets(plain)).toBe(plain);
  });

  it('keeps an error an error, with its message and stack', () => {
    const error = Object.assign(new Error('upstream failed'), { api_key: 'sk-3' });
    const copy = maskSecrets({ err: error }).err;
    expect(copy).toBeInstanceOf(Error);
    expect(copy).toMatchObject({ message: 'upstream failed', api_key: '**********', stack: error.stack });
    expect(error.api_key).toBe('sk-3');
  });
});
