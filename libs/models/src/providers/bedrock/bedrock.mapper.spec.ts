import { AppError, ErrorCode } from '@app/common';
import { UpstreamCall } from '@gitlab-ai-gateway/provider-api';
import { fromSdkError, toConverseInput } from './bedrock.mapper';

describe(toConverseInput.name, () => {
  it('leaves out the blank text of an assistant turn that only calls tools, and unparseable arguments', () => {
    const input = toConverseInput('model', {
      messages: [{ role: 'assistant', content: '', toolCalls: [{ id: 't', name: 'n', arguments: 'not json' }] }],
    });
    expect(input.messages).toEqual([
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't', name: 'n', input: {} } }] },
    ]);
    expect(input).not.toHaveProperty('toolConfig');
  });
});

describe(fromSdkError.name, () => {
  const call = new UpstreamCall({});
  const sdkError = (name: string, status?: number) =>
    Object.assign(new Error('details'), { name, ...(status && { $metadata: { httpStatusCode: status } }) });

  it.each([
    [sdkError('ThrottlingException'), ErrorCode.ModelRateLimited],
    [sdkError('ValidationException'), ErrorCode.ModelRejected],
    [sdkError('ModelStreamErrorException'), ErrorCode.ModelFailed],
    [sdkError('ModelTimeoutException', 408), ErrorCode.ModelTimeout],
    [sdkError('UnrecognizedClientException', 403), ErrorCode.ModelRejected],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), ErrorCode.ModelUnreachable],
  ])('maps %s to %s', (error, code) => {
    expect(fromSdkError(error, call).code).toBe(code);
  });

  it('names the exception in the message', () => {
    expect(fromSdkError(sdkError('ValidationException', 400), call).message).toContain('ValidationException: details');
  });

  it('reports anything after the caller aborted as cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = fromSdkError(new Error('aborted'), new UpstreamCall({ signal: controller.signal }));
    expect(cancelled).toBeInstanceOf(AppError);
    expect(cancelled.code).toBe(ErrorCode.Cancelled);
  });
});
