import { AppError, ErrorCode } from '@app/common';
import { checkFlowConfig, partialChatAgentOf } from '../flows/flow-config';
import { WorkflowSelection } from '../session/workflow-request';
import { knownToolNames } from '../tools/tool-catalog';
import { ChatWorkflow } from './chat-workflow';
import { projectContext } from './project-context';
import { SoftwareDevelopmentWorkflow } from './software-development-workflow';
import { Workflow } from './workflow';

const SUPPORTED = 'Supported: chat, software_development, and inline flowConfig with environment chat-partial.';

/** The workflows this server runs (§6.1 "Minimum for our first release"); everything else is INVALID_ARGUMENT. */
/** `mcpToolNames`: the LLM names of the call's MCP tools, which a flow's toolset may list. */
export function workflowFor(selection: WorkflowSelection, mcpToolNames: readonly string[]): Workflow {
  if (selection.kind === 'built_in') {
    if (selection.definition === 'chat') return new ChatWorkflow();
    if (selection.definition === 'software_development') return new SoftwareDevelopmentWorkflow();
    throw new AppError(
      ErrorCode.BadRequest,
      `Workflow definition '${selection.definition}' is not supported by this server. ${SUPPORTED}`,
    );
  }
  if (selection.kind === 'registry') {
    throw new AppError(
      ErrorCode.BadRequest,
      `Unknown flow: ${selection.flowId}/${selection.schemaVersion} (version ${selection.version} not found)`,
    );
  }
  const check = checkFlowConfig(selection.config, new Set([...knownToolNames(), ...mcpToolNames]));
  if (check.unsafe) throw new AppError(ErrorCode.BadRequest, 'Flow configuration failed security validation');
  if (check.errors.length > 0)
    throw new AppError(ErrorCode.BadRequest, `Invalid flow configuration: ${check.errors.join('; ')}`);
  if (selection.config.environment !== 'chat-partial') {
    throw new AppError(
      ErrorCode.BadRequest,
      `Flow environment '${String(selection.config.environment)}' is not supported. ${SUPPORTED}`,
    );
  }
  const agent = partialChatAgentOf(selection.config);
  return new ChatWorkflow(agent.name, (run) => ({
    name: agent.name,
    componentName: agent.name,
    systemPrompt: `${agent.systemPrompt}\n\n${projectContext(run.record)}`,
    tools: run.tools.filter((tool) => agent.toolset.includes(tool.definition.name)),
    streamText: true,
  }));
}
