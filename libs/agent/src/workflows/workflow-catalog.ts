import { AppError, ErrorCode } from '@app/common';
import { agentSpec } from '../flows/components/agent-component';
import { AgentComponent } from '../flows/components/agent-component';
import { initialFlowContext } from '../flows/flow-context';
import { CHAT_PARTIAL } from '../flows/flow-config';
import { FlowGraph } from '../flows/flow-graph';
import { FlowRegistry } from '../flows/flow-registry';
import { FlowRuntime } from '../flows/flow-runtime';
import { FlowWorkflow } from '../flows/flow-workflow';
import { WorkflowSelection } from '../session/workflow-request';
import { ChatWorkflow } from './chat-workflow';
import { projectContext } from './project-context';
import { SoftwareDevelopmentWorkflow } from './software-development-workflow';
import { Workflow, WorkflowRun } from './workflow';

/** Legacy definitions whose graph is a registry flow here (same goal format: a file path, an issue URL). */
const LEGACY_FLOWS: Record<string, string> = {
  convert_to_gitlab_ci: 'convert_to_gl_ci',
  issue_to_merge_request: 'developer',
};
const LEGACY_FLOW_VERSION = '1.0.0';

/** The workflow a start request selects (§4.1, §6.1); unknown flows and invalid inline flows are INVALID_ARGUMENT. */
export function workflowFor(selection: WorkflowSelection, registry: FlowRegistry): Workflow {
  if (selection.kind === 'built_in') {
    if (selection.definition === 'chat') return new ChatWorkflow();
    if (selection.definition === 'software_development') return new SoftwareDevelopmentWorkflow();
    const flow = registry.resolve(LEGACY_FLOWS[selection.definition], 'v1', LEGACY_FLOW_VERSION);
    if (!flow)
      throw new AppError(ErrorCode.BadRequest, `Workflow definition '${selection.definition}' is not supported`);
    return flowWorkflow(selection.definition, flow.graph, registry);
  }
  if (selection.kind === 'registry') {
    const flow = registry.resolve(selection.flowId, selection.schemaVersion, selection.version);
    if (!flow) {
      throw new AppError(
        ErrorCode.BadRequest,
        `Unknown flow: ${selection.flowId}/${selection.schemaVersion} (version ${selection.version} not found)`,
      );
    }
    return flowWorkflow(`${selection.flowId}/${selection.schemaVersion}`, flow.graph, registry);
  }
  const declared = selection.config.version;
  if (declared !== undefined && declared !== selection.schemaVersion) {
    // Upstream's text, missing space included.
    throw invalidInline(
      `Schema version mismatch, declared version: ${selection.schemaVersion},but received: ${String(declared)}`,
    );
  }
  const check = registry.validate({ version: selection.schemaVersion, ...selection.config }, false);
  if (check.unsafe) throw new AppError(ErrorCode.BadRequest, 'Flow configuration failed security validation');
  if (!check.graph) throw invalidInline(check.errors.join('; '));
  return flowWorkflow(`flow_config/${selection.schemaVersion}`, check.graph, registry);
}

const invalidInline = (detail: string) =>
  new AppError(ErrorCode.BadRequest, `Failed to create flow from FlowConfig protobuf: ${detail}`);

function flowWorkflow(name: string, graph: FlowGraph, registry: FlowRegistry): Workflow {
  if (graph.config.environment !== CHAT_PARTIAL) return new FlowWorkflow(name, graph, registry.library);
  const component = [...graph.components.values()][0] as AgentComponent;
  return new ChatWorkflow(component.name, (run) => partialChatAgent(run, graph, registry, component));
}

/** `chat-partial` (§6.1): the flow's one AgentComponent, with its prompt and toolset, inside the chat graph. */
function partialChatAgent(run: WorkflowRun, graph: FlowGraph, registry: FlowRegistry, component: AgentComponent) {
  const state = run.checkpoints.state;
  state.flow ??= { context: initialFlowContext(run, graph.config.flow.inputs), at: component.name };
  const tools = new Map(run.tools.map((tool) => [tool.definition.name, tool]));
  const runtime = new FlowRuntime(run, graph.inlinePrompts, registry.library, tools);
  const parts = {
    ...component.agentParts,
    inputs: component.agentParts.inputs.map((input) => ({ ...input, optional: true })),
  };
  const spec = agentSpec(runtime, parts, component.name, []);
  return {
    ...spec,
    systemPrompt: `${spec.systemPrompt}\n\n${projectContext(run.record)}`,
    tools: spec.tools.filter((tool) => tools.has(tool.definition.name)),
    streamText: true,
    approval: undefined,
    uiLog: undefined,
    maxCycles: undefined,
  };
}
