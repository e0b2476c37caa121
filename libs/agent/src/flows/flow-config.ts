import { isPromptSafe } from './prompt-security';

const COMPONENT_TYPES = ['AgentComponent', 'DeterministicStepComponent', 'OneOffComponent', 'HumanInputComponent'];

/** The one agent of a `chat-partial` flow (§6.1). */
export interface PartialChatAgent {
  name: string;
  systemPrompt: string;
  /** Tool names the component may use; empty: none. */
  toolset: string[];
}

export interface FlowConfigCheck {
  errors: string[];
  /** Some prompt text failed the security checks of §6.1. */
  unsafe: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** Structural validation of an inline flow config (schema `v1`/`experimental`). */
export function checkFlowConfig(config: Json, knownTools: ReadonlySet<string>): FlowConfigCheck {
  const errors: string[] = [];
  if (!['v1', 'experimental'].includes(String(config.version ?? ''))) {
    errors.push(
      config.version === undefined
        ? 'Missing required field: version'
        : `Unsupported version: '${String(config.version)}'`,
    );
  }
  if (typeof config.environment !== 'string' || config.environment === '')
    errors.push('Missing required field: environment');
  const prompts = new Map(objects(config.prompts).map((prompt) => [String(prompt.prompt_id), prompt]));
  const components = objects(config.components);
  if (components.length === 0) errors.push('Missing required field: components');
  components.forEach((component, index) => errors.push(...componentErrors(component, index, prompts, knownTools)));
  if (config.environment === 'chat-partial' && (components.length !== 1 || components[0].type !== 'AgentComponent')) {
    errors.push('Environment chat-partial requires exactly one AgentComponent');
  }
  const texts = [...prompts.values()].flatMap((prompt) =>
    Object.values(isObject(prompt.prompt_template) ? prompt.prompt_template : {}),
  );
  return { errors, unsafe: texts.some((text) => typeof text === 'string' && !isPromptSafe(text)) };
}

function componentErrors(
  component: Json,
  index: number,
  prompts: Map<string, Json>,
  knownTools: ReadonlySet<string>,
): string[] {
  const where = `components[${index}]`;
  const errors: string[] = [];
  if (typeof component.name !== 'string' || component.name === '')
    errors.push(`${where}: missing required field: name`);
  if (!COMPONENT_TYPES.includes(String(component.type)))
    errors.push(`${where}: unknown component type '${String(component.type)}'`);
  if (component.type === 'AgentComponent') {
    const prompt = prompts.get(String(component.prompt_id));
    if (!prompt) errors.push(`${where}: prompt '${String(component.prompt_id)}' is not defined in prompts`);
    else if (!isObject(prompt.prompt_template) || typeof prompt.prompt_template.system !== 'string') {
      errors.push(`${where}: prompt '${String(component.prompt_id)}' needs prompt_template.system`);
    }
  }
  for (const tool of Array.isArray(component.toolset) ? component.toolset : []) {
    if (!knownTools.has(String(tool))) errors.push(`${where}: unknown tool '${String(tool)}'`);
  }
  return errors;
}

/** The agent of a valid `chat-partial` config. */
export function partialChatAgentOf(config: Json): PartialChatAgent {
  const component = objects(config.components)[0];
  const prompt = objects(config.prompts).find((candidate) => candidate.prompt_id === component.prompt_id) as Json;
  return {
    name: String(component.name),
    systemPrompt: String((prompt.prompt_template as Json).system),
    toolset: Array.isArray(component.toolset) ? component.toolset.map(String) : [],
  };
}
