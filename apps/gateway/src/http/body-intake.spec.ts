import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { AppError, ErrorCode } from '@app/common';
import { BodyIntake } from './body-intake';
import { InflightBodyBudget } from './inflight-body-budget';
import { bodyLimitOf } from './route-body-limits';

describe(BodyIntake.name, () => {
  it('takes chunked bytes from the budget as they come and gives them back once', async () => {
    const budget = new InflightBodyBudget(10);
    const intake = new BodyIntake(budget, 60, 0);
    intake.resume();
    intake.write(Buffer.alloc(6));
    expect(budget.take(5)).toBe(false);
    intake.end();
    await once(intake, 'end');
    intake.release();
    intake.release();
    expect(budget.take(10)).toBe(true);
  });

  it('fails with 503 and Retry-After when the next bytes do not fit', async () => {
    const budget = new InflightBodyBudget(4);
    const intake = new BodyIntake(budget, 60, 0);
    intake.write(Buffer.alloc(5));
    const [error] = (await once(intake, 'error')) as [AppError];
    expect(error.code).toBe(ErrorCode.Unavailable);
    expect(error.retryAfterS).toBe(1);
  });

  it('counts a declared length once, taking only what arrives beyond it', () => {
    const budget = new InflightBodyBudget(10);
    expect(budget.take(8)).toBe(true);
    const intake = new BodyIntake(budget, 60, 8);
    intake.resume();
    intake.write(Buffer.alloc(8));
    expect(budget.take(2)).toBe(true);
    intake.destroy();
  });

  it('fails with 408 when the body does not end in time', async () => {
    jest.useFakeTimers();
    try {
      const source = new PassThrough();
      const intake = new BodyIntake(new InflightBodyBudget(100), 2, 0);
      source.pipe(intake);
      const failed = once(intake, 'error');
      jest.advanceTimersByTime(2_000);
      const [error] = (await failed) as [AppError];
      expect(error.code).toBe(ErrorCode.RequestTimeout);
      expect(error.message).toBe('The request body did not arrive within 2 s');
    } finally {
      jest.useRealTimers();
    }
  });
});

describe(bodyLimitOf.name, () => {
  it.each([
    ['/v2/code/completions', 64],
    ['/v2/completions', 64],
    ['/v2/code/generations', 64],
    ['/v4/code/suggestions', 16],
    ['/v1/chat/:chat_invokable', 8],
    ['/v2/prompts/*', 8],
    ['/v1/code/user_access_token', 1],
    ['/v1/search/gitlab-docs', 1],
  ])('limits %s to %i MiB', (route, mib) => {
    expect(bodyLimitOf(route)).toBe(mib * 1024 * 1024);
  });
});
