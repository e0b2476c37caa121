import { CHAT_PARTIAL, FlowConfig, parseFlowConfig } from './flow-config';
import { FlowBuildError, FlowBuildOptions, FlowGraph } from './flow-graph';
import { isPromptSafe } from './prompt-security';
import { FlowConfigError } from './state-path';

export interface FlowValidation {
  /** Present when the definition is valid. */
  graph?: FlowGraph;
  config?: FlowConfig;
  /** Upstream's messages where upstream has them (docs/agent-platform-flows.md lists ours). */
  errors: string[];
  /** A prompt failed the security scan (§6.1): a start request answers "Flow configuration failed security validation". */
  unsafe: boolean;
}

const UNSAFE_PROMPT = (id: string, role: string) =>
  `Flow config prompt '${id}' (role: '${role}') contains dangerous content. Developer-controlled prompts cannot contain:\n` +
  '  - Dangerous tags: <system>, <goal>\n' +
  '  - HTML comments: <!-- ... -->\n' +
  '  - Markdown link comments: [//]: # (...) or [comment]: <> (...)\n' +
  '  - Hidden unicode characters\n' +
  'Please remove these patterns from your prompt configuration.';

/**
 * Validates a flow definition the way upstream's `ValidateFlowConfig` does, in its order: the top-level fields
 * (all errors at once), the prompts' security scan, the chat-partial rules, then building the flow (first error).
 * Never throws.
 */
export function validateFlow(raw: Record<string, unknown>, options: FlowBuildOptions): FlowValidation {
  const parsed = parseFlowConfig(raw);
  if (!parsed.config) return { errors: parsed.errors, unsafe: false };
  const config = parsed.config;
  const unsafe = unsafePrompt(config);
  if (unsafe) return { errors: [`Unexpected validation error: SecurityException: ${unsafe}`], unsafe: true };
  const partialError = config.environment === CHAT_PARTIAL ? chatPartialError(config) : undefined;
  if (partialError) return { errors: [`Unexpected validation error: ValueError: ${partialError}`], unsafe: false };
  // Upstream does not dry-run chat-partial flows, so their inputs are not held to the prompt's variables.
  const strict = { ...options.strict, variables: options.strict.variables && config.environment !== CHAT_PARTIAL };
  try {
    return { graph: FlowGraph.build(config, { ...options, strict }), config, errors: [], unsafe: false };
  } catch (error) {
    return { errors: [messageOf(error)], unsafe: false };
  }
}

function messageOf(error: unknown): string {
  if (error instanceof FlowConfigError) return error.location ? `${error.location}: ${error.message}` : error.message;
  if (error instanceof FlowBuildError) return error.message;
  return `Flow compilation failed during validation: ${error instanceof Error ? error.message : String(error)}`;
}

function unsafePrompt(config: FlowConfig): string | undefined {
  for (const prompt of config.prompts) {
    for (const [role, text] of Object.entries(prompt.prompt_template)) {
      if (!isPromptSafe(text)) return UNSAFE_PROMPT(prompt.prompt_id, role);
    }
  }
  return undefined;
}

/** Upstream's `flow_factory` rules for `chat-partial`: one AgentComponent, one prompt source. */
function chatPartialError(config: FlowConfig): string | undefined {
  if (config.components.length !== 1) {
    return `Chat-partial environment allows exactly one component, but received ${config.components.length}`;
  }
  const [component] = config.components;
  if (component.type !== 'AgentComponent') return `Invalid component type: ${String(component.type)}`;
  if (config.prompts.length > 1) {
    return `Chat-partial environment expects exactly one prompt in prompt configuration, but received ${config.prompts.length}`;
  }
  if (config.prompts.length > 0 && component.prompt_version) {
    return 'Chat-partial environment expects either inline or in repository prompt configuration, but received both';
  }
  return undefined;
}
