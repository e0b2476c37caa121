/** The channels of the flow state an input or router may read (upstream's `FlowState` keys, in their order). */
const STATE_TARGETS = ['status', 'conversation_history', 'ui_chat_log', 'context', 'agent_context_limits'];
const TARGETS_WITH_KEYS = new Set(['conversation_history', 'context', 'agent_context_limits']);

/**
 * One input of a component, as flow configs write it: `"context:a.b"`, or
 * `{from: "context:a.b", as: "alias", optional: true}`, or `{from: "text", as: "name", literal: true}`.
 */
export interface StatePath {
  /** The text as written (`from`). */
  source: string;
  target: string;
  keys: string[];
  alias?: string;
  literal: boolean;
  optional: boolean;
}

/** A config mistake, reported the way flow validation words it (pydantic's `Value error, …`). */
export class FlowConfigError extends Error {
  constructor(
    message: string,
    /** Field location inside the component, e.g. `inputs.0.from`. */
    readonly location?: string,
  ) {
    super(message);
    this.name = 'FlowConfigError';
  }
}

type Json = Record<string, unknown>;

export function parseStatePath(spec: unknown, location: string): StatePath {
  if (typeof spec === 'string') return checked({ source: spec, ...split(spec), literal: false, optional: false });
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new FlowConfigError('Input should be a valid string or dictionary', location);
  }
  const { from, as, literal, optional } = spec as Json;
  if (typeof from !== 'string') throw new FlowConfigError('Field required', `${location}.from`);
  if (as !== undefined && as !== null && typeof as !== 'string') {
    throw new FlowConfigError('Input should be a valid string', `${location}.as`);
  }
  const alias = typeof as === 'string' ? as : undefined;
  if (literal === true) {
    if (!alias || alias.trim() === '') throw new FlowConfigError("Field 'as' is required when using 'literal: true'");
    return { source: from, target: from, keys: [], alias, literal: true, optional: false };
  }
  return checked({ source: from, ...split(from), alias, literal: false, optional: optional === true });
}

function split(text: string): { target: string; keys: string[] } {
  const colon = text.indexOf(':');
  if (colon === -1) return { target: text, keys: [] };
  const rest = text.slice(colon + 1);
  return { target: text.slice(0, colon), keys: rest === '' ? [] : rest.split('.') };
}

function checked(path: StatePath): StatePath {
  if (!STATE_TARGETS.includes(path.target)) {
    const allowed = STATE_TARGETS.map((target) => `'${target}'`).join(', ');
    throw new FlowConfigError(`Invalid target: ${path.target} allowed targets are dict_keys([${allowed}])`);
  }
  if (path.keys.length > 0 && !TARGETS_WITH_KEYS.has(path.target)) {
    throw new FlowConfigError(`${path.target} does not support subkeys`);
  }
  return path;
}

/** The template variable an input becomes: its alias, else its last key, else the target. */
export function variableName(path: StatePath): string {
  return path.alias ?? path.keys[path.keys.length - 1] ?? path.target;
}

/** The state channels as flow inputs see them. */
export type FlowStateView = Record<string, unknown>;

class MissingStateValue extends Error {
  constructor(path: StatePath) {
    super(`The flow state has no value at '${path.source}'`);
    this.name = 'MissingStateValue';
  }
}

/** Reads an input from the state; a missing value is an error unless the input is optional (then `undefined`). */
export function readStatePath(view: FlowStateView, path: StatePath): unknown {
  if (path.literal) return path.source;
  let current: unknown = view[path.target];
  for (const key of path.keys) {
    const container = current as Json | undefined;
    if (
      container === null ||
      container === undefined ||
      typeof container !== 'object' ||
      !Object.hasOwn(container, key)
    ) {
      if (path.optional) return undefined;
      throw new MissingStateValue(path);
    }
    current = container[key];
  }
  return current;
}
