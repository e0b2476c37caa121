import { ToolDefinition } from '@app/models';
import { AgentComponent } from './components/agent-component';
import { BuildContext } from './components/build-context';
import { ComponentFields } from './components/component-fields';
import { DeterministicStepComponent } from './components/deterministic-step-component';
import { HumanInputComponent } from './components/human-input-component';
import { OneOffComponent } from './components/one-off-component';
import { SupervisorComponent } from './components/supervisor-component';
import { CHAT_PARTIAL, FlowConfig, RouterConfig } from './flow-config';
import { FlowComponent } from './flow-runtime';
import { PromptLibrary } from './prompt-library';
import { PromptTemplate } from './prompt-template';
import { FlowConfigError, FlowStateView, parseStatePath, readStatePath, StatePath } from './state-path';

/** A graph-level mistake, worded as upstream's dry-run compilation reports it. */
export class FlowBuildError extends Error {
  constructor(detail: string) {
    super(`Flow compilation failed during validation: ${detail}`);
    this.name = 'FlowBuildError';
  }
}

/** Built-in terminal components every flow may route to (upstream's EndComponent and AbortComponent). */
export const END = 'end';
export const ABORT = 'abort';

export interface FlowBuildOptions {
  directory: ReadonlyMap<string, ToolDefinition[]>;
  library: PromptLibrary;
  strict: BuildContext['strict'];
}

type Route = { to: string } | { input: StatePath; routes: Record<string, string> };

/** A flow definition turned into runnable components and routers; built once, run by many calls. */
export class FlowGraph {
  private constructor(
    readonly config: FlowConfig,
    readonly components: ReadonlyMap<string, FlowComponent>,
    readonly entryPoint: string,
    private readonly routes: ReadonlyMap<string, Route>,
    readonly inlinePrompts: ReadonlyMap<string, PromptTemplate>,
  ) {}

  /** Throws the first problem, as upstream's compilation does: {@link FlowConfigError} or {@link FlowBuildError}. */
  static build(config: FlowConfig, options: FlowBuildOptions): FlowGraph {
    const inlinePrompts = inlinePromptsOf(config);
    const build: BuildContext = { config, inlinePrompts, ...options };
    const components = new Map<string, FlowComponent>();
    config.components.forEach((raw, index) => {
      const component = componentOf(raw, index, build);
      if (components.has(component.name)) {
        throw new FlowBuildError(`Duplicate component name: '${component.name}'. Component names must be unique.`);
      }
      components.set(component.name, component);
    });
    bindSupervisors(components);
    if (config.environment === CHAT_PARTIAL) return new FlowGraph(config, components, '', new Map(), inlinePrompts);
    const entryPoint = config.flow.entry_point;
    if (entryPoint === undefined) {
      throw new FlowBuildError('Can not build flow graph: entry_point is not defined in the flow config.');
    }
    if (!components.has(entryPoint))
      throw new FlowBuildError(`entry_point '${entryPoint}' is not a component of the flow`);
    const routes = routesOf(config.routers, components);
    return new FlowGraph(config, components, entryPoint, routes, inlinePrompts);
  }

  /** The component after `from`, following its router (a flow without one ends). */
  next(from: string, view: FlowStateView): string {
    const route = this.routes.get(from);
    if (!route) return END;
    if ('to' in route) return route.to;
    const key = pythonText(readStatePath(view, route.input));
    const to = route.routes[key] ?? route.routes.default_route;
    if (to === undefined) throw new Error(`The router from '${from}' has no route for '${key}' and no default_route`);
    return to;
  }
}

function componentOf(raw: Record<string, unknown>, index: number, build: BuildContext): FlowComponent {
  const fields = new ComponentFields(raw, index);
  if (raw.type === undefined || raw.type === null) throw new FlowConfigError('Field required', fields.at('type'));
  switch (fields.type) {
    case 'AgentComponent':
      return fields.has('subagents') ? SupervisorComponent.parse(fields, build) : AgentComponent.parse(fields, build);
    case 'DeterministicStepComponent':
      return DeterministicStepComponent.parse(fields, build);
    case 'OneOffComponent':
      return OneOffComponent.parse(fields, build);
    case 'HumanInputComponent':
      return HumanInputComponent.parse(fields);
    default:
      throw new FlowBuildError(`"Component '${fields.type}' not found in registry"`);
  }
}

/** Sub-agents belong to their supervisor: they leave the routable components. */
function bindSupervisors(components: Map<string, FlowComponent>): void {
  const supervisors = [...components.values()].filter((component) => component instanceof SupervisorComponent);
  for (const supervisor of supervisors) {
    const subagents = new Map(
      supervisor.subagentNames.map((name) => {
        const subagent = components.get(name);
        if (!(subagent instanceof AgentComponent) || subagent instanceof SupervisorComponent || !subagent.description) {
          throw new FlowBuildError(
            `Component '${supervisor.name}' has a malformed subagents entry: '${name}' must be an AgentComponent with a description`,
          );
        }
        return [name, subagent.agentParts] as const;
      }),
    );
    supervisor.bind(subagents);
  }
  for (const supervisor of supervisors) supervisor.subagentNames.forEach((name) => components.delete(name));
}

function routesOf(routers: RouterConfig[], components: ReadonlyMap<string, FlowComponent>): Map<string, Route> {
  const target = (router: RouterConfig, name: string) => {
    if (name !== END && name !== ABORT && !components.has(name)) {
      throw new FlowBuildError(
        `The router from '${router.from}' goes to '${name}', which is not a component of the flow`,
      );
    }
    return name;
  };
  const routes = new Map<string, Route>();
  for (const router of routers) {
    if (!components.has(router.from))
      throw new FlowBuildError(`A router starts at '${router.from}', which is not a component of the flow`);
    if (routes.has(router.from)) throw new FlowBuildError(`Component '${router.from}' has more than one router`);
    if (!router.condition) {
      routes.set(router.from, { to: target(router, router.to as string) });
      continue;
    }
    let input: StatePath;
    try {
      input = parseStatePath(router.condition.input, 'input');
    } catch (error) {
      throw new FlowBuildError(`The router from '${router.from}': ${(error as Error).message}`);
    }
    Object.values(router.condition.routes).forEach((name) => target(router, name));
    routes.set(router.from, { input, routes: router.condition.routes });
  }
  for (const component of components.values()) {
    if (!routes.has(component.name)) throw new FlowBuildError(`Component '${component.name}' has no router`);
    if (component instanceof HumanInputComponent && !components.has(component.sendsResponseTo)) {
      throw new FlowBuildError(
        `Component '${component.name}' sends its response to '${component.sendsResponseTo}', which is not a component of the flow`,
      );
    }
  }
  return routes;
}

function inlinePromptsOf(config: FlowConfig): Map<string, PromptTemplate> {
  return new Map(
    config.prompts.map((prompt, index) => {
      try {
        return [prompt.prompt_id, new PromptTemplate(prompt.prompt_id, prompt.prompt_template)];
      } catch (error) {
        throw new FlowConfigError(`Value error, ${(error as Error).message}`, `prompts.${index}.prompt_template`);
      }
    }),
  );
}

/** Router keys compare with the value as Python prints it (`True`, `None`, `3`). */
function pythonText(value: unknown): string {
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
