import { Injectable } from '@nestjs/common';
import { FlowFilters, FlowListing, FlowRegistry } from './flows/flow-registry';
import { stableTools } from './tools/tool-catalog';

/** Server capabilities advertised to Rails (§2, §5.4). */
export const SERVER_CAPABILITIES = ['tool_call_approval', 'tool_call_pattern_approval', 'flow_semantic_versioning'];

export type { FlowFilters, FlowListing };

/** What the unary RPCs describe: tools, flows, capabilities, flow-config validation. */
@Injectable()
export class AgentCatalog {
  constructor(private readonly flows: FlowRegistry) {}

  /** OpenAI-style function definitions of every stable tool (§6.4). */
  listTools(): Array<{ type: 'function'; function: { name: string; description: string; parameters: object } }> {
    return stableTools().map(({ definition }) => ({ type: 'function', function: definition }));
  }

  /** One entry per registry flow file; AND across filter fields, OR within one (§2, §6.1). */
  listFlows(filters: FlowFilters = {}): FlowListing[] {
    return this.flows.list(filters);
  }

  capabilities(): Array<{ name: string; metadata: string }> {
    return SERVER_CAPABILITIES.map((name) => ({ name, metadata: '' }));
  }

  /** Never throws: problems are reported as errors (§2 ValidateFlowConfig). */
  validateFlowConfig(config: Record<string, unknown> | undefined): { valid: boolean; errors: string[] } {
    if (!config || Object.keys(config).length === 0) {
      return { valid: false, errors: ['Missing required field: flow_config'] };
    }
    try {
      const { errors } = this.flows.validate(config, true);
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
