/** Duo Chat's `additional_context` categories (gitlab-versions.md §1); each is gated by {@link contextPrimitive}. */
export const ADDITIONAL_CONTEXT_CATEGORIES = [
  'file',
  'snippet',
  'merge_request',
  'issue',
  'dependency',
  'local_git',
  'terminal',
  'repository',
  'directory',
] as const;

/** The unit primitive that lets a caller send `additional_context` of `category`. */
export const contextPrimitive = (category: string): string => `include_${category}_context`;

/** Unit primitives the Duo Workflow service serves (agent-platform.md §5.4); issued tokens keep only these. */
export const WORKFLOW_SERVED_PRIMITIVES: ReadonlySet<string> = new Set([
  'duo_agent_platform',
  'duo_workflow_execute_workflow',
  'duo_chat',
  ...ADDITIONAL_CONTEXT_CATEGORIES.map(contextPrimitive),
]);

/**
 * agent-platform.md §5.3: any one of these grants a workflow: `chat` needs `duo_chat`, everything else
 * `duo_agent_platform` or the legacy `duo_workflow_execute_workflow`.
 */
export function workflowPrimitives(workflowDefinition: string | undefined): string[] {
  return workflowDefinition === 'chat' ? ['duo_chat'] : ['duo_agent_platform', 'duo_workflow_execute_workflow'];
}
