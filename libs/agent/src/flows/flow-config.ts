/**
 * A flow definition of the flow registry, schema `v1` or `experimental` (agent-platform.md §6.1), after the
 * top-level checks of {@link parseFlowConfig}. Components stay raw until the flow is built.
 */
export interface FlowConfig {
  version: string;
  environment: string;
  components: ComponentConfig[];
  routers: RouterConfig[];
  flow: { entry_point?: string; inputs: FlowInputCategory[] };
  prompts: InlinePrompt[];
  name?: string;
  description?: string;
}

export type ComponentConfig = Record<string, unknown>;

export interface RouterConfig {
  from: string;
  to?: string;
  condition?: { input: unknown; routes: Record<string, string> };
}

/** `flow.inputs`: additional context categories the flow reads into `context:inputs.<category>`. */
export interface FlowInputCategory {
  category: string;
  input_schema: Record<string, { type: string; optional?: boolean }>;
}

/** A prompt defined inside the flow (`prompts:`), referenced by components without `prompt_version`. */
export interface InlinePrompt {
  prompt_id: string;
  name?: string;
  prompt_template: Record<string, string>;
}

export const SCHEMA_VERSIONS = ['experimental', 'v1'];
const V1_ENVIRONMENTS = ['ambient', 'chat', 'chat-partial'];
export const CHAT_PARTIAL = 'chat-partial';
/** Prompt fields upstream accepts (`InMemoryPromptConfig`); `model` is deprecated but still found in flows. */
const PROMPT_FIELDS = new Set(['prompt_id', 'name', 'unit_primitives', 'prompt_template', 'params', 'model']);
const TEMPLATE_ROLES = ['system', 'user', 'assistant'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface ParsedFlowConfig {
  config?: FlowConfig;
  /** Upstream wording: `Missing required field 'version' in flow config`, `<field path>: <pydantic message>`. */
  errors: string[];
}

/**
 * The top-level checks upstream makes before building a flow (`FlowValidator.validate_dict` and the pydantic
 * `FlowConfig` models), with upstream's messages: all field errors at once, as pydantic reports them.
 */
export function parseFlowConfig(raw: Json): ParsedFlowConfig {
  if (!raw.version) return { errors: ["Missing required field 'version' in flow config"] };
  if (!raw.environment) return { errors: ["Missing required field 'environment' in flow config"] };
  const version = String(raw.version);
  if (!SCHEMA_VERSIONS.includes(version)) {
    return { errors: [`Unsupported schema version: ${version}. Supported versions: ['experimental', 'v1']`] };
  }
  const errors: string[] = [];
  const partial = raw.environment === CHAT_PARTIAL;
  if (version === 'v1' && !V1_ENVIRONMENTS.includes(String(raw.environment))) {
    errors.push("environment: Input should be 'ambient', 'chat' or 'chat-partial'");
  }
  if (typeof raw.environment !== 'string') errors.push('environment: Input should be a valid string');
  const components = listOf(raw.components, 'components', true, errors) as ComponentConfig[];
  const routers = listOf(raw.routers, 'routers', !partial, errors).flatMap((router, index) =>
    routerOf(router, index, errors),
  );
  const flow = flowOf(raw.flow, !partial, errors);
  const prompts = listOf(raw.prompts, 'prompts', false, errors).flatMap((prompt, index) =>
    promptOf(prompt, index, errors),
  );
  for (const field of ['name', 'description', 'product_group'] as const) {
    if (raw[field] !== undefined && raw[field] !== null && typeof raw[field] !== 'string') {
      errors.push(`${field}: Input should be a valid string`);
    }
  }
  if (errors.length > 0) return { errors };
  return {
    config: {
      version,
      environment: String(raw.environment),
      components,
      routers,
      flow,
      prompts,
      name: raw.name as string | undefined,
      description: raw.description as string | undefined,
    },
    errors,
  };
}

function listOf(value: unknown, field: string, required: boolean, errors: string[]): Json[] {
  if (value === undefined || value === null) {
    if (required) errors.push(`${field}: Field required`);
    return [];
  }
  if (!Array.isArray(value)) {
    errors.push(`${field}: Input should be a valid list`);
    return [];
  }
  value.forEach((item, index) => {
    if (!isObject(item)) errors.push(`${field}.${index}: Input should be a valid dictionary`);
  });
  return value.filter(isObject);
}

function routerOf(router: Json, index: number, errors: string[]): RouterConfig[] {
  const where = `routers.${index}`;
  const problems: string[] = [];
  if (typeof router.from !== 'string') problems.push(`${where}.from: Field required`);
  const condition = router.condition;
  if (condition === undefined && typeof router.to !== 'string') problems.push(`${where}.to: Field required`);
  if (condition !== undefined) {
    if (!isObject(condition)) problems.push(`${where}.condition: Input should be a valid dictionary`);
    else {
      if (typeof condition.input !== 'string' && !isObject(condition.input)) {
        problems.push(`${where}.condition.input: Router input must be a string or a mapping.`);
      }
      const routes = condition.routes;
      if (!isObject(routes) || Object.values(routes).some((to) => typeof to !== 'string')) {
        problems.push(`${where}.condition.routes: Input should be a valid dictionary of component names`);
      }
    }
  }
  errors.push(...problems);
  return problems.length > 0 ? [] : [router as unknown as RouterConfig];
}

function flowOf(value: unknown, required: boolean, errors: string[]): FlowConfig['flow'] {
  if (value === undefined || value === null) {
    if (required) errors.push('flow: Field required');
    return { inputs: [] };
  }
  if (!isObject(value)) {
    errors.push('flow: Input should be a valid dictionary or instance of FlowConfigMetadata');
    return { inputs: [] };
  }
  const entry = value.entry_point;
  if (entry !== undefined && entry !== null && typeof entry !== 'string') {
    errors.push('flow.entry_point: Input should be a valid string');
  }
  const inputs = listOf(value.inputs, 'flow.inputs', false, errors).flatMap((item, index) =>
    inputCategoryOf(item, index, errors),
  );
  return { entry_point: typeof entry === 'string' ? entry : undefined, inputs };
}

function inputCategoryOf(item: Json, index: number, errors: string[]): FlowInputCategory[] {
  const where = `flow.inputs.${index}`;
  const before = errors.length;
  if (typeof item.category !== 'string') errors.push(`${where}.category: Field required`);
  if (!isObject(item.input_schema)) errors.push(`${where}.input_schema: Field required`);
  else {
    for (const [key, schema] of Object.entries(item.input_schema)) {
      if (!isObject(schema) || typeof schema.type !== 'string') {
        errors.push(`${where}.input_schema.${key}.type: Field required`);
      }
    }
  }
  return errors.length > before ? [] : [item as unknown as FlowInputCategory];
}

function promptOf(prompt: Json, index: number, errors: string[]): InlinePrompt[] {
  const where = `prompts.${index}`;
  const before = errors.length;
  if (typeof prompt.prompt_id !== 'string' || prompt.prompt_id === '')
    errors.push(`${where}.prompt_id: Field required`);
  for (const key of Object.keys(prompt)) {
    if (!PROMPT_FIELDS.has(key)) errors.push(`${where}.${key}: Extra inputs are not permitted`);
  }
  const template = prompt.prompt_template;
  if (!isObject(template)) errors.push(`${where}.prompt_template: Field required`);
  else {
    for (const [role, text] of Object.entries(template)) {
      const valid = typeof text === 'string' || (Array.isArray(text) && text.every((part) => typeof part === 'string'));
      if (!valid) errors.push(`${where}.prompt_template.${role}: Input should be a valid string`);
    }
  }
  if (errors.length > before) return [];
  const sections = Object.fromEntries(
    Object.entries(template as Json)
      .filter(([role]) => TEMPLATE_ROLES.includes(role))
      .map(([role, text]) => [role, Array.isArray(text) ? text.join('\n') : String(text)]),
  );
  return [{ prompt_id: String(prompt.prompt_id), name: prompt.name as string | undefined, prompt_template: sections }];
}
