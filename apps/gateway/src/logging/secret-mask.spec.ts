import { maskSecrets, maskSecretValue } from './secret-mask';

describe(maskSecrets.name, () => {
  it('masks secret fields at any depth, arrays included', () => {
    const fields = {
      model_api_key: 'sk-1',
      headers: { authorization: 'Bearer eyJ' },
      body: { model_metadata: { api_key: 'sk-2' } },
      items: [{ token: 't' }],
      deeper: { a: { b: { c: { d: { api_key: 'sk-4' } } } } },
    };
    expect(maskSecrets(fields)).toEqual({
      model_api_key: '**********',
      headers: { authorization: '**********' },
      body: { model_metadata: { api_key: '**********' } },
      items: [{ token: '**********' }],
      deeper: { a: { b: { c: { d: { api_key: '**********' } } } } },
    });
  });

  it('matches names whatever their case, HTTP headers and AWS credentials included', () => {
    const fields = {
      headers: { Authorization: 'Bearer eyJ', 'X-Api-Key': 'sk-1', 'x-api-key': 'sk-2' },
      aws: {
        secret_access_key: 's1',
        session_token: 's2',
        secretAccessKey: 's3',
        sessionToken: 's4',
        accessKeyId: 'AKIA',
      },
      target: { apiKey: 'sk-3', model: 'mistral' },
    };
    expect(maskSecrets(fields)).toEqual({
      headers: { Authorization: '**********', 'X-Api-Key': '**********', 'x-api-key': '**********' },
      aws: {
        secret_access_key: '**********',
        session_token: '**********',
        secretAccessKey: '**********',
        sessionToken: '**********',
        accessKeyId: 'AKIA',
      },
      target: { apiKey: '**********', model: 'mistral' },
    });
  });

  it('ends at a cycle and masks an object reached twice in both places', () => {
    const shared = { api_key: 'sk-1' };
    const node: Record<string, unknown> = { name: 'loop', shared };
    node.self = node;
    const result = maskSecrets({ node, again: shared }) as any;
    expect(result.node).toEqual({ name: 'loop', shared: { api_key: '**********' }, self: '[Circular]' });
    expect(result.again).toBe(result.node.shared);
    expect(node.self).toBe(node);
  });

  it('leaves an absent secret absent', () => {
    expect(maskSecrets({ api_key: null, token: undefined })).toEqual({ api_key: null, token: undefined });
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

  describe(maskSecretValue.name, () => {
    it('masks the whole value of a secret field', () => {
      expect(maskSecretValue('sk-1', 'model_api_key')).toBe('**********');
      expect(maskSecretValue({ nested: 'sk-1' }, 'API_KEY')).toBe('**********');
    });

    it('masks the secret fields inside any other value, and leaves plain values as they are', () => {
      expect(maskSecretValue({ prompt_version: 2, model_api_key: 'sk-1' })).toEqual({
        prompt_version: 2,
        model_api_key: '**********',
      });
      expect(maskSecretValue('llama3', 'model_name')).toBe('llama3');
      expect(maskSecretValue(null, 'api_key')).toBeNull();
      expect(maskSecretValue('x', 0)).toBe('x');
    });
  });
});
