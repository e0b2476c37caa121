/** What libs/agent needs from the configuration; the app provides it under {@link AGENT_OPTIONS}. */
export interface AgentOptions {
  /** Self-hosted model mode (`AIGW_CUSTOM_MODELS__ENABLED`): enables the billing bridge (§6.7). */
  customModelsEnabled: boolean;
  /** Longest an `ExecuteWorkflow` call may run before it is interrupted (resumable). */
  maxStreamDurationS: number;
  /** Model used when a call names none (same shape as the model metadata header, §6.8); `{}`: none. */
  defaultModelMetadata: Record<string, unknown>;
  /** The flow registry's folder: `v1/<flow>/<semver>.yml`, `experimental/…`, `prompts/<id>/<family>/<semver>.yml`. */
  flowsDir: string;
}

export const AGENT_OPTIONS = Symbol('AGENT_OPTIONS');
