/** Unit primitives the Duo Workflow service serves (agent-platform.md §5.4); issued tokens keep only these. */
export const WORKFLOW_SERVED_PRIMITIVES: ReadonlySet<string> = new Set([
  'duo_agent_platform',
  'duo_workflow_execute_workflow',
  'duo_chat',
  ...[
    'file',
    'snippet',
    'merge_request',
    'issue',
    'dependency',
    'local_git',
    'terminal',
    'repository',
    'directory',
  ].map((context) => `include_${context}_context`),
]);

/**
 * agent-platform.md §5.3: any one of these grants a workflow: `chat` needs `duo_chat`, everything else
 * `duo_agent_platform` or the legacy `duo_workflow_execute_workflow`.
 */
export function workflowPrimitives(workflowDefinition: string | undefined): string[] {
  return workflowDefinition === 'chat' ? ['duo_chat'] : ['duo_agent_platform', 'duo_workflow_execute_workflow'];
}
