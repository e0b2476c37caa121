import { RetryBudget } from './retry-budget';

describe(RetryBudget.name, () => {
  it('allows the minimum of retries, then a share of the calls of the last 10 s', () => {
    const budget = new RetryBudget({ maxAttempts: 3, budgetRatio: 0.5, minRetries: 2 });
    expect([budget.tryRetry(0), budget.tryRetry(0), budget.tryRetry(0)]).toEqual([true, true, false]);
    for (let call = 0; call < 8; call += 1) budget.recordCall(500);
    expect([budget.tryRetry(900), budget.tryRetry(900), budget.tryRetry(900)]).toEqual([true, true, false]);
  });

  it('forgets calls and retries older than 10 s', () => {
    const budget = new RetryBudget({ maxAttempts: 3, budgetRatio: 0, minRetries: 1 });
    expect(budget.tryRetry(0)).toBe(true);
    expect(budget.tryRetry(9_999)).toBe(false);
    expect(budget.tryRetry(10_000)).toBe(true);
  });
});
