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
];

/** Agent privilege (`agentPrivilegesNames`) → its tools (§6.4); new action kinds only with their capability (§8). */
const PRIVILEGE_TOOLS: Record<string, (caps: Capabilities) => Tool[]> = {
  read_only_files: readOnlyFiles,
  read_write_files: (caps) => [...readOnlyFiles(caps), createFileTool, editFileTool, mkdirTool, runTestsTool],
  use_git: () => [runGitCommandTool],
  run_commands: (caps) => [caps.has('shell_command') ? runShellCommandTool : runCommandTool],
  read_only_gitlab: () => readOnlyGitlab,
  read_write_gitlab: () => [...readOnlyGitlab, createIssueTool, createMergeRequestTool],
};

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

/** Every tool name a flow config may list. */
export function knownToolNames(): string[] {
  return stableTools().map((tool) => tool.definition.name);
}
