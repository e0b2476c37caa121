import { ModelTarget, Usage } from '@gitlab-ai-gateway/provider-api';

/** A model call let through by the gate; `finish` reports the usage the model gave, if any. */
export interface ModelCallPass {
  finish(usage?: Usage): void;
}

/**
 * Admits each model call before anything is sent (the limits of the app); throws to refuse it. Optional:
 * without one every call goes ahead.
 */
export abstract class ModelCallGate {
  /** False when the gate would admit every call: streams then skip it (and the generator around it). */
  abstract get active(): boolean;

  /** `pool`: the configured pool (`AIGW_MODEL_ROUTES__FILE`) the call goes to first, when a route matched. */
  abstract admit(target: ModelTarget, pool?: string): Promise<ModelCallPass>;
}
