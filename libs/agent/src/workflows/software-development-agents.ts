import { AgentSpec } from '../loop/agent-loop';
import {
  addNewTaskTool,
  getPlanTool,
  handoverTool,
  removeTaskTool,
  requestUserClarificationTool,
  setTaskStatusTool,
  updateTaskDescriptionTool,
} from '../tools/internal-tools';
import { projectContext } from './project-context';
import { WorkflowRun } from './workflow';

const READ_ONLY = new Set([
  'read_file',
  'read_files',
  'list_dir',
  'find_files',
  'grep',
  'extract_lines_from_text',
  'gitlab_api_get',
  'get_issue',
  'get_merge_request',
  'list_merge_request_diffs',
  'gitlab_graphql',
]);

/** Gathers what the planner needs; read-only tools only. */
export function contextBuilderAgent(run: WorkflowRun): AgentSpec {
  const tools = run.tools.filter((tool) => READ_ONLY.has(tool.definition.name));
  if (run.record.allowAgentToRequestUser) tools.push(requestUserClarificationTool);
  return {
    name: 'context_builder',
    systemPrompt:
      'You are an experienced software engineer preparing a task. Explore the project with the tools to collect the ' +
      'context needed to reach the goal, then call handover_tool with a summary of the relevant findings.\n\n' +
      projectContext(run.record),
    tools: [...tools, handoverTool],
    streamText: false,
  };
}

/** Turns the goal and the context into plan steps. */
export function plannerAgent(): AgentSpec {
  return {
    name: 'planner',
    systemPrompt:
      'You are a planner. Break the goal into small, ordered, concrete tasks with add_new_task (edit them with ' +
      'update_task_description or remove_task), then call handover_tool with a short description of the plan.',
    tools: [getPlanTool, addNewTaskTool, removeTaskTool, updateTaskDescriptionTool, handoverTool],
    streamText: false,
  };
}

/** Carries out the plan with the workflow's privileges. */
export function executorAgent(run: WorkflowRun): AgentSpec {
  return {
    name: 'executor',
    systemPrompt:
      'You are an experienced software engineer executing a plan. Work through the tasks in order, mark each with ' +
      'set_task_status, and when every task is done call handover_tool with a summary of the changes.\n\n' +
      projectContext(run.record),
    tools: [...run.tools, getPlanTool, setTaskStatusTool, handoverTool],
    streamText: false,
  };
}
