import { Injectable } from '@nestjs/common';
import { checkFlowConfig } from './flows/flow-config';
import { knownToolNames, stableTools } from './tools/tool-catalog';

/** Server capabilities advertised to Rails (§2, §5.4). */
export const SERVER_CAPABILITIES = ['tool_call_approval', 'tool_call_pattern_approval', 'flow_semantic_versioning'];

export interface FlowFilters {
  flow_identifier?: string[];
  environment?: string[];
  version?: string[];
}

export interface FlowListing {
  flow_identifier: string;
  flow_version: string;
  version: string;
  environment: string;
  config: string;
}

/** What the unary RPCs describe: tools, flows, capabilities, flow-config validation. */
@Injectable()
export class AgentCatalog {
  /** Registry flows shipped with this server; none yet (§6.1 "Minimum for our first release"). */
  private readonly flows: FlowListing[] = [];

  /** OpenAI-style function definitions of every stable tool (§6.4). */
  listTools(): Array<{ type: 'function'; function: { name: string; description: string; parameters: object } }> {
    return stableTools().map(({ definition }) => ({ type: 'function', function: definition }));
  }

  /** AND across fields, OR within one field; an empty field does not filter (§2). */
  listFlows(filters: FlowFilters = {}): FlowListing[] {
    const matches = (values: string[] | undefined, value: string) => !values?.length || values.includes(value);
    return this.flows.filter(
      (flow) =>
        matches(filters.flow_identifier, flow.flow_identifier) &&
        matches(filters.environment, flow.environment) &&
        matches(filters.version, flow.version),
    );
  }

  capabilities(): Array<{ name: string; metadata: string }> {
    return SERVER_CAPABILITIES.map((name) => ({ name, metadata: '' }));
  }

  /** Never throws: problems are reported as errors (§2 ValidateFlowConfig). */
  validateFlowConfig(config: Record<string, unknown> | undefined): { valid: boolean; errors: string[] } {
    if (!config || Object.keys(config).length === 0)
      return { valid: false, errors: ['Missing required field: flow_config'] };
    try {
      const check = checkFlowConfig(config, new Set(knownToolNames()));
      const errors = [...check.errors, ...(check.unsafe ? ['Flow configuration failed security validation'] : [])];
      return { valid: errors.length === 0, errors };
    } catch (error) {
      const type = error instanceof Error ? error.name : 'Error';
      return {
        valid: false,
        errors: [`Unexpected validation error: ${type}: ${error instanceof Error ? error.message : String(error)}`],
      };
    }
  }
}
