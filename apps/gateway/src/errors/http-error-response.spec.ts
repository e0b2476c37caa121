import { AppError, ErrorCode } from '@app/common';
import { toHttpErrorResponse } from './http-error-response';

describe('toHttpErrorResponse', () => {
  it('answers authentication failures with {"error"}', () => {
    const response = toHttpErrorResponse(new AppError(ErrorCode.Unauthenticated, 'Forbidden by auth provider'));
    expect(response).toMatchObject({ status: 401, body: '{"error":"Forbidden by auth provider"}' });
  });

  it('answers handler errors with {"detail"}, preferring structured details', () => {
    expect(
      toHttpErrorResponse(new AppError(ErrorCode.PermissionDenied, 'Unauthorized to access duo chat')),
    ).toMatchObject({
      status: 403,
      body: '{"detail":"Unauthorized to access duo chat"}',
    });
    const issues = [{ type: 'missing', loc: ['body', 'prompt_version'], msg: 'Field required', input: {} }];
    expect(toHttpErrorResponse(new AppError(ErrorCode.InvalidInput, 'x', { details: issues })).body).toBe(
      JSON.stringify({ detail: issues }),
    );
  });

  it('passes retry-after on', () => {
    const response = toHttpErrorResponse(new AppError(ErrorCode.ModelRateLimited, 'slow down', { retryAfterS: 7 }));
    expect(response).toMatchObject({ status: 429, headers: { 'retry-after': '7' } });
  });

  it('hides unexpected errors behind a plain 500 with an error id', () => {
    const response = toHttpErrorResponse(new Error('database password is hunter2'));
    expect(response.status).toBe(500);
    expect(response.body).toBe('Internal Server Error');
    expect(response.errorId).toMatch(/^[0-9a-f]{32}$/);
    expect(response.headers['x-error-id']).toBe(response.errorId);
  });

  it('answers a contract 500 exactly as an unexpected one: plain text, with an error id', () => {
    const response = toHttpErrorResponse(
      new AppError(ErrorCode.InternalByContract, 'Endpoint override not allowed when custom models are disabled.'),
    );
    expect(response).toMatchObject({
      status: 500,
      contentType: 'text/plain; charset=utf-8',
      body: 'Internal Server Error',
    });
    expect(response.headers['x-error-id']).toBe(response.errorId);
  });

  it('answers the prompt routes\' passed-on model status with 421 {"detail"}', () => {
    const response = toHttpErrorResponse(new AppError(ErrorCode.ModelStatusPassedOn, '401: Unauthorized'));
    expect(response).toMatchObject({
      status: 421,
      contentType: 'application/json',
      body: '{"detail":"401: Unauthorized"}',
    });
  });
});
