import { AppError, ErrorCode } from '@app/common';
import { modelFailure } from './model-failure';

describe(modelFailure.name, () => {
  it("codes Anthropic's overloaded_error (a 529 or an error event) as ModelOverloaded, keeping status and message", () => {
    const overloaded = new AppError(ErrorCode.ModelFailed, 'Model server failed (529): overloaded_error: Overloaded', {
      upstreamStatus: 529,
    });
    expect(modelFailure(overloaded, undefined)).toMatchObject({
      code: ErrorCode.ModelOverloaded,
      message: overloaded.message,
      upstreamStatus: 529,
    });
    const inStream = new AppError(ErrorCode.ModelFailed, 'overloaded_error: Overloaded');
    expect(modelFailure(inStream, undefined)).toMatchObject({ code: ErrorCode.ModelOverloaded });
  });

  it('leaves other failures as they are', () => {
    const failed = new AppError(ErrorCode.ModelFailed, 'Model server failed (500): api_error: boom');
    const rejected = new AppError(ErrorCode.ModelRejected, 'overloaded_error in a 400, not a failure');
    const bug = new TypeError('overloaded_error');
    expect(modelFailure(failed, undefined)).toBe(failed);
    expect(modelFailure(rejected, undefined)).toBe(rejected);
    expect(modelFailure(bug, undefined)).toBe(bug);
  });

  it('masks the key in what it hands on', () => {
    const key = 'sk-secret-123456';
    const overloaded = new AppError(ErrorCode.ModelFailed, `overloaded_error: busy for ${key}`);
    expect(modelFailure(overloaded, key)).toMatchObject({
      code: ErrorCode.ModelOverloaded,
      message: 'overloaded_error: busy for **********',
    });
  });
});
