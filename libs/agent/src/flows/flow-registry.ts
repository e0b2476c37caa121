import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { maxSatisfying, valid, validRange } from 'semver';
import { parse as parseYaml } from 'yaml';
import { ToolDefinition } from '@app/models';
import { FlowGraph } from './flow-graph';
import { FlowValidation, validateFlow } from './flow-validation';
import { PromptLibrary } from './prompt-library';
import { SCHEMA_VERSIONS } from './flow-config';

/** One flow definition file of the registry: `<schema version>/<flow id>/<semver>.yml`. */
export interface RegisteredFlow {
  id: string;
  schemaVersion: string;
  version: string;
  environment: string;
  /** The file's content as JSON (what `ListFlows` returns as `config`). */
  definition: Record<string, unknown>;
  graph: FlowGraph;
}

export interface FlowFilters {
  flow_identifier?: string[] | null;
  environment?: string[] | null;
  version?: string[] | null;
}

/** A `ListFlows` entry (§6.1). */
export interface FlowListing {
  flow_identifier: string;
  flow_version: string;
  version: string;
  environment: string;
  config: string;
}

/**
 * The flows this server ships, loaded and validated once at start-up: a broken file stops the boot with an
 * error naming the file and the field. Flows are found by id, schema version and a semver constraint.
 */
export class FlowRegistry {
  private constructor(
    private readonly flows: RegisteredFlow[],
    readonly library: PromptLibrary,
    private readonly directory: ReadonlyMap<string, ToolDefinition[]>,
  ) {}

  /** `dir` holds `v1/`, `experimental/` and `prompts/` (any of them may be missing, `dir` itself not). */
  static load(dir: string, directory: ReadonlyMap<string, ToolDefinition[]>): FlowRegistry {
    if (!existsSync(dir)) throw new Error(`The flow registry folder ${dir} is missing`);
    const library = PromptLibrary.load(join(dir, 'prompts'));
    const flows = SCHEMA_VERSIONS.flatMap((schema) => definitionFiles(join(dir, schema))).map((file) => {
      const path = `${file.schema}/${file.id}/${file.version}.yml`;
      const definition = readDefinition(join(dir, path), path);
      const check = validateFlow(definition, { directory, library, strict: { tools: true, variables: true } });
      if (check.errors.length === 0 && definition.version !== file.schema) {
        check.errors.push(`version: Input should be '${file.schema}' (the folder the file is in)`);
      }
      if (check.errors.length > 0 || !check.graph) {
        throw new Error(`Invalid flow definition ${path}: ${check.errors.join('; ')}`);
      }
      const environment = String(definition.environment);
      return {
        id: file.id,
        schemaVersion: file.schema,
        version: file.version,
        environment,
        definition,
        graph: check.graph,
      };
    });
    return new FlowRegistry(flows, library, directory);
  }

  /** The newest version of the flow that satisfies `constraint` (`1.0.0`, `^1.0.0`, …). */
  resolve(id: string, schemaVersion: string, constraint: string): RegisteredFlow | undefined {
    if (!validRange(constraint)) return undefined;
    const candidates = this.flows.filter((flow) => flow.id === id && flow.schemaVersion === schemaVersion);
    const version = maxSatisfying(
      candidates.map((flow) => flow.version),
      constraint,
    );
    return candidates.find((flow) => flow.version === version);
  }

  /** AND across fields, OR within one field; an empty field does not filter (§2). */
  list(filters: FlowFilters = {}): FlowListing[] {
    const matches = (values: string[] | null | undefined, value: string) => !values?.length || values.includes(value);
    return this.flows
      .filter(
        (flow) =>
          matches(filters.flow_identifier, flow.id) &&
          matches(filters.environment, flow.environment) &&
          matches(filters.version, flow.schemaVersion),
      )
      .map((flow) => ({
        flow_identifier: flow.id,
        flow_version: flow.version,
        version: flow.schemaVersion,
        environment: flow.environment,
        config: JSON.stringify(flow.definition, null, 2),
      }));
  }

  /**
   * A customer's flow against this server's tools and prompts: `ValidateFlowConfig` holds inputs to the
   * prompts' variables as upstream's dry run does (`strictVariables`); a started flow, like upstream, does not.
   */
  validate(definition: Record<string, unknown>, strictVariables: boolean): FlowValidation {
    return validateFlow(definition, {
      directory: this.directory,
      library: this.library,
      strict: { tools: false, variables: strictVariables },
    });
  }
}

function definitionFiles(dir: string): Array<{ schema: string; id: string; version: string }> {
  if (!existsSync(dir)) return [];
  const schema = dir.split(/[\\/]/).at(-1) as string;
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((flow) =>
      readdirSync(join(dir, flow.name))
        .filter((name) => name.endsWith('.yml'))
        .map((name) => ({ schema, id: flow.name, version: name.slice(0, -'.yml'.length) })),
    )
    .sort((a, b) => `${a.id}/${a.version}`.localeCompare(`${b.id}/${b.version}`));
}

function readDefinition(file: string, path: string): Record<string, unknown> {
  const version =
    path
      .split('/')
      .at(-1)
      ?.replace(/\.yml$/, '') ?? '';
  if (!valid(version)) throw new Error(`Invalid flow definition ${path}: '${version}' is not a semantic version`);
  let definition: unknown;
  try {
    definition = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Invalid flow definition ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new Error(`Invalid flow definition ${path}: the file is not a YAML mapping`);
  }
  return definition as Record<string, unknown>;
}
