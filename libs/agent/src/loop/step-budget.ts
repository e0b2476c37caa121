/** Graph steps one run may take (§6.3), counted over every agent of the run. */
const STEP_LIMIT = 600;

class StepLimitExceeded extends Error {
  constructor() {
    super(`Recursion limit of ${STEP_LIMIT} reached without hitting a stop condition`);
    this.name = 'GraphRecursionError';
  }
}

export class StepBudget {
  private used = 0;

  take(): void {
    this.used += 1;
    if (this.used > STEP_LIMIT) throw new StepLimitExceeded();
  }
}
