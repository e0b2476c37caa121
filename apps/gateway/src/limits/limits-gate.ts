import { Injectable } from '@nestjs/common';
import { RequestContextStore } from '@app/common';
import { LimitsService } from '@app/limits';
import { ModelCallGate, ModelCallPass, ModelTarget } from '@app/models';
import { modelPoolOf } from './model-pool';

/**
 * Every model call (HTTP routes and Agent Platform alike) passes the limits of its caller (from the request
 * context authentication filled in) and of the pool it goes to; the model's reported usage is charged after.
 */
@Injectable()
export class LimitsGate extends ModelCallGate {
  constructor(private readonly limits: LimitsService) {
    super();
  }

  get active(): boolean {
    return this.limits.limited;
  }

  async admit(target: ModelTarget, configuredPool?: string): Promise<ModelCallPass> {
    const caller = RequestContextStore.current()?.caller;
    const pool = modelPoolOf(target, configuredPool);
    const admission = await this.limits.admit({
      user: caller?.user,
      instance: caller?.instance,
      pool: pool.name,
      poolLabel: pool.label,
    });
    return { finish: (usage) => admission.finish(usage ? usage.inputTokens + usage.outputTokens : 0) };
  }
}
