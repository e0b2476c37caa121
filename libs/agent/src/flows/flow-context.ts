import { AdditionalContext } from '../contract/contract-types';
import { WorkflowRecord } from '../gitlab/workflow-record';
import { WorkflowRun } from '../workflows/workflow';
import { FlowInputCategory } from './flow-config';

/** Context categories the executor sends; they reach `context:inputs.<category>` as text, undeclared. */
const EXECUTOR_CATEGORIES = new Set(['os_information', 'shell_information', 'agent_user_environment', 'user_rule']);

/** Digits of a GitLab id, whether GraphQL gave `1000` or `gid://gitlab/Project/1000`. */
function numericId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const digits = /(\d+)$/.exec(String(value));
  return digits ? digits[1] : undefined;
}

/** The session's project id and web URL, as tools that take GitLab URLs need them. */
export function sessionProjectOf(record: WorkflowRecord): { id?: string; webUrl?: string } {
  return {
    id: numericId(record.projectId ?? record.project?.id),
    webUrl: record.project?.webUrl ?? record.namespace?.webUrl,
  };
}

/**
 * Upstream's initial `context` channel: the goal, where the session runs, and `inputs` from the additional
 * context (declared categories as JSON checked against `flow.inputs`, executor categories as text).
 */
export function initialFlowContext(run: WorkflowRun, declared: readonly FlowInputCategory[]): Record<string, unknown> {
  const { record, start } = run;
  const project = sessionProjectOf(record);
  return {
    goal: start.goal,
    project_id: project.id ?? null,
    project_http_url_to_repo: record.project?.httpUrlToRepo ?? null,
    project: record.project ? { ...record.project, id: project.id ?? null } : null,
    namespace: record.namespace ?? null,
    workflow_id: start.workflowID,
    session_url: project.webUrl ? `${project.webUrl}/-/automate/agent-sessions/${start.workflowID}` : null,
    current_date: new Date().toISOString().slice(0, 10),
    gitlab_instance_url: project.webUrl ? new URL(project.webUrl).origin : null,
    inputs: inputsOf(start.additional_context ?? [], declared),
  };
}

function inputsOf(
  items: readonly AdditionalContext[],
  declared: readonly FlowInputCategory[],
): Record<string, unknown> {
  const schemas = new Map(declared.map((category) => [category.category, category.input_schema]));
  const inputs: Record<string, unknown> = {};
  for (const item of items) {
    if (EXECUTOR_CATEGORIES.has(item.category)) {
      if (!item.content) continue;
      const before = inputs[item.category];
      inputs[item.category] = typeof before === 'string' ? `${before}\n${item.content}` : item.content;
      continue;
    }
    const schema = schemas.get(item.category);
    if (schema) inputs[item.category] = checkedInput(item, schema);
  }
  return inputs;
}

function checkedInput(item: AdditionalContext, schema: FlowInputCategory['input_schema']): Record<string, unknown> {
  const fail = (reason: string) => new Error(`input '${item.category}' does not match specified schema: ${reason}`);
  if (!item.content) throw new Error(`content must be specified for input '${item.category}'.`);
  let value: unknown;
  try {
    value = JSON.parse(item.content);
  } catch {
    throw new Error(`Invalid JSON in input item '${item.category}'`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw fail('not an object');
  const object = value as Record<string, unknown>;
  for (const [key, field] of Object.entries(schema)) {
    if (!(key in object)) {
      if (!field.optional) throw fail(`'${key}' is a required property`);
      continue;
    }
    if (!matchesType(object[key], field.type)) throw fail(`'${key}' is not of type '${field.type}'`);
  }
  const extra = Object.keys(object).filter((key) => !(key in schema));
  if (extra.length > 0) throw fail(`additional properties are not allowed ('${extra.join("', '")}')`);
  return object;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return !!value && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}
