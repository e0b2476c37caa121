import { runCommandTool, runGitCommandTool, runShellCommandTool, runTestsTool } from './command-tools';
import {
  createFileTool,
  editFileTool,
  extractLinesTool,
  findFilesTool,
  grepTool,
  listDirTool,
  mkdirTool,
  readFileChunkedTool,
  readFilesTool,
  readFileTool,
} from './file-tools';
import {
  createIssueTool,
  createMergeRequestTool,
  getIssueTool,
  getMergeRequestTool,
  gitlabApiGetTool,
  gitlabGraphqlTool,
  listMergeRequestDiffsTool,
} from './gitlab-tools';
import { ToolDefinition } from '@app/models';
import { createMergeRequestNoteTool, getJobLogsTool, getPipelineFailingJobsTool } from './gitlab-ci-tools';
import {
  addNewTaskTool,
  getPlanTool,
  handoverTool,
  removeTaskTool,
  requestUserClarificationTool,
  setTaskStatusTool,
  updateTaskDescriptionTool,
} from './internal-tools';
import { notifyMeWhenTool } from './notify-me-when-tool';
import { startFlowTool } from './start-flow-tool';
import { Tool } from './tool';

type Capabilities = ReadonlySet<string>;

const readOnlyFiles = (caps: Capabilities) => [
  caps.has('read_file_chunked') ? readFileChunkedTool : readFileTool,
  readFilesTool,
  listDirTool,
  findFilesTool,
  grepTool,
  extractLinesTool,
];
const readOnlyGitlab = [
  gitlabApiGetTool,
  gitlabGraphqlTool,
  getIssueTool,
  getMergeRequestTool,
  listMergeRequestDiffsTool,
  getPipelineFailingJobsTool,
  getJobLogsTool,
];

/** Agent privilege (`agentPrivilegesNames`) → its tools (§6.4); new action kinds only with their capability (§8). */
const PRIVILEGE_TOOLS: Record<string, (caps: Capabilities) => Tool[]> = {
  read_only_files: readOnlyFiles,
  read_write_files: (caps) => [...readOnlyFiles(caps), createFileTool, editFileTool, mkdirTool, runTestsTool],
  use_git: () => [runGitCommandTool],
  run_commands: (caps) => [caps.has('shell_command') ? runShellCommandTool : runCommandTool],
  read_only_gitlab: () => readOnlyGitlab,
  read_write_gitlab: () => [...readOnlyGitlab, createIssueTool, createMergeRequestTool, createMergeRequestNoteTool],
  start_flows: () => [startFlowTool],
};

/** Server-side tools a flow component may list besides its privileges' tools (always available). */
export const FLOW_INTERNAL_TOOLS: readonly Tool[] = [
  getPlanTool,
  addNewTaskTool,
  removeTaskTool,
  updateTaskDescriptionTool,
  setTaskStatusTool,
  handoverTool,
  requestUserClarificationTool,
];

/** Tools of no privilege that a client capability brings (§8: new action kinds only with their capability). */
export function capabilityTools(capabilities: Capabilities): Tool[] {
  return capabilities.has('schedule_notification') ? [notifyMeWhenTool] : [];
}

/** The tools of these privileges, each name once. Unknown privileges grant nothing. */
export function toolsForPrivileges(privileges: readonly string[], capabilities: Capabilities): Tool[] {
  const byName = new Map<string, Tool>();
  for (const privilege of privileges) {
    for (const tool of PRIVILEGE_TOOLS[privilege]?.(capabilities) ?? []) byName.set(tool.definition.name, tool);
  }
  return [...byName.values()];
}

/** Every stable tool, for `ListTools` (§6.4). */
export function stableTools(): Tool[] {
  return toolsForPrivileges(Object.keys(PRIVILEGE_TOOLS), new Set());
}

/** Capabilities that swap a tool for a variant with other arguments (§8). */
const VARIANT_CAPABILITIES: ReadonlySet<string> = new Set(['read_file_chunked', 'shell_command']);

/**
 * Every tool a flow component may name, with each of its argument variants (a variant exists per client
 * capability, e.g. `run_command` with `shell_command`): what flow validation checks toolsets and
 * deterministic steps against.
 */
export function toolDirectory(): ReadonlyMap<string, ToolDefinition[]> {
  const directory = new Map<string, ToolDefinition[]>();
  const add = (tool: Tool) => {
    const variants = directory.get(tool.definition.name) ?? [];
    if (!variants.includes(tool.definition)) variants.push(tool.definition);
    directory.set(tool.definition.name, variants);
  };
  for (const capabilities of [new Set<string>(), VARIANT_CAPABILITIES]) {
    toolsForPrivileges(Object.keys(PRIVILEGE_TOOLS), capabilities).forEach(add);
  }
  FLOW_INTERNAL_TOOLS.forEach(add);
  add(notifyMeWhenTool);
  return directory;
}
