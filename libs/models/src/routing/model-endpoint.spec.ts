import { ErrorCode } from '@app/common';
import { validateModelEndpoint } from './model-endpoint';

describe(validateModelEndpoint.name, () => {
  it.each(['http://vllm.internal:8000/v1', 'https://llm.example.com', 'http://127.0.0.1:4000/'])(
    'accepts %s',
    (url) => {
      expect(() => validateModelEndpoint(url, [])).not.toThrow();
    },
  );

  it.each([
    ['ftp://host/v1', 'model_endpoint must use http or https'],
    ['file:///etc/passwd', 'model_endpoint must use http or https'],
    ['http://user:secret@host/v1', 'model_endpoint must not contain credentials'],
    ['http://token@host/v1', 'model_endpoint must not contain credentials'],
    ['not a url', 'model_endpoint must be a valid URL'],
  ])('rejects %s', (url, message) => {
    expect(() => validateModelEndpoint(url, [])).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidInput, message }),
    );
  });

  it('names the field it checks', () => {
    expect(() => validateModelEndpoint('ftp://h', [], 'model_metadata.endpoint')).toThrow(
      'model_metadata.endpoint must use http or https',
    );
  });

  describe('with an allow-list', () => {
    const allowList = ['https://llm.internal', 'http://vllm:8000/v1'];

    it.each(['https://llm.internal/v1', 'https://llm.internal', 'http://vllm:8000/v1', 'http://vllm:8000/v1/'])(
      'accepts %s',
      (url) => expect(() => validateModelEndpoint(url, allowList)).not.toThrow(),
    );

    it.each([
      'https://llm.internal.evil.com/v1',
      'http://llm.internal/v1',
      'https://llm.internal:8443/v1',
      'http://vllm:8000/v10',
      'http://vllm:8000/',
      'http://vllm:8001/v1',
    ])('rejects %s', (url) => {
      expect(() => validateModelEndpoint(url, allowList)).toThrow(
        'model_endpoint is not in the allowed model endpoints',
      );
    });

    it('treats an entry with a trailing slash like one without (the registry strips it from the endpoint)', () => {
      for (const url of ['http://vllm:8000/v1', 'http://vllm:8000/v1/', 'http://vllm:8000/v1/chat']) {
        expect(() => validateModelEndpoint(url, ['http://vllm:8000/v1/'])).not.toThrow();
      }
      expect(() => validateModelEndpoint('http://vllm:8000/v10', ['http://vllm:8000/v1/'])).toThrow(
        'not in the allowed',
      );
    });
  });
});
