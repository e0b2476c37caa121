import { ErrorCode } from './app-error';
import { statusError, transportError, upstreamMessage } from './upstream-errors';

describe(upstreamMessage.name, () => {
  it.each([
    ['{"error":{"message":"bad key","type":"invalid_request_error"}}', 'invalid_request_error: bad key'],
    ['{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', 'overloaded_error: Overloaded'],
    ['{"object":"error","message":"no such model","type":"NotFoundError","code":404}', 'NotFoundError: no such model'],
    ['{"detail":"Not Found"}', 'Not Found'],
    ['{"error":"plain"}', 'plain'],
    ['<html>502 Bad Gateway</html>', '<html>502 Bad Gateway</html>'],
    ['{"unexpected":true}', '{"unexpected":true}'],
  ])('reads %s', (body, message) => {
    expect(upstreamMessage(body)).toBe(message);
  });

  it('gives nothing for an empty body and cuts long ones', () => {
    expect(upstreamMessage('  ')).toBeUndefined();
    expect(upstreamMessage('x'.repeat(5000))).toHaveLength(1000);
  });
});

describe(statusError.name, () => {
  it('falls back to the reason phrase', () => {
    expect(statusError(502, {}, '').message).toBe('Model server failed (502): Bad Gateway');
  });

  it('reads retry-after as seconds or as an HTTP date', () => {
    expect(statusError(429, { 'retry-after': '1.5' }, '').retryAfterS).toBe(1.5);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(statusError(429, { 'retry-after': inTenSeconds }, '').retryAfterS).toBeGreaterThanOrEqual(9);
    expect(statusError(429, { 'retry-after': 'soon' }, '').retryAfterS).toBeUndefined();
  });

  it.each([
    [400, ErrorCode.ModelRejected],
    [401, ErrorCode.ModelRejected],
    [422, ErrorCode.ModelRejected],
    [429, ErrorCode.ModelRateLimited],
    [500, ErrorCode.ModelFailed],
    [529, ErrorCode.ModelFailed],
  ])('maps %i to %s with the upstream status', (status, code) => {
    expect(statusError(status, {}, 'x')).toMatchObject({ code, upstreamStatus: status });
  });
});

describe(transportError.name, () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    ['ECONNREFUSED', 'request', ErrorCode.ModelUnreachable],
    ['ENOTFOUND', 'request', ErrorCode.ModelUnreachable],
    ['UND_ERR_CONNECT_TIMEOUT', 'request', ErrorCode.ModelUnreachable],
    ['UND_ERR_SOCKET', 'request', ErrorCode.ModelUnreachable],
    ['UND_ERR_HEADERS_TIMEOUT', 'request', ErrorCode.ModelTimeout],
    ['UND_ERR_BODY_TIMEOUT', 'response', ErrorCode.ModelTimeout],
    ['UND_ERR_SOCKET', 'response', ErrorCode.ModelMalformed],
    ['ECONNRESET', 'response', ErrorCode.ModelMalformed],
  ] as const)('maps %s during the %s to %s', (code, phase, expected) => {
    expect(transportError(withCode(code), phase).code).toBe(expected);
  });
});
