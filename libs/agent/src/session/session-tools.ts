import { Identity } from '@app/auth';
import { StartWorkflowRequest } from '../contract/contract-types';
import { WorkflowRecord } from '../gitlab/workflow-record';
import { toolAccessOf } from '../approval/tool-access-policy';
import { mcpTools, sanitiseMcpToolName } from '../tools/mcp-tools';
import { Tool } from '../tools/tool';
import { capabilityTools, toolsForPrivileges } from '../tools/tool-catalog';

export interface SessionTools {
  tools: Tool[];
  preapproved: ReadonlySet<string>;
}

/**
 * The call's toolset (§6.3, §6.4): the workflow's privileges, MCP tools when enabled, minus tools the
 * `tool_access_policies` claim denies; pre-approved = pre-approved privileges + the (governed) client list.
 */
export function sessionTools(
  record: WorkflowRecord,
  start: StartWorkflowRequest,
  identity: Identity,
  capabilities: ReadonlySet<string>,
): SessionTools {
  const access = toolAccessOf(identity.claims?.tool_access_policies, start.preapproved_tools ?? []);
  const offered = [
    ...toolsForPrivileges(record.agentPrivileges, capabilities),
    ...capabilityTools(capabilities),
    ...(record.mcpEnabled ? mcpTools(start.mcpTools ?? []) : []),
  ];
  const preapprovedNames = [
    ...toolsForPrivileges(record.preApprovedPrivileges, capabilities).map((tool) => tool.definition.name),
    ...access.preapproved,
    ...access.preapproved.map(sanitiseMcpToolName),
  ];
  return {
    tools: offered.filter((tool) => !access.deny.has(tool.definition.name)),
    preapproved: new Set(preapprovedNames),
  };
}
