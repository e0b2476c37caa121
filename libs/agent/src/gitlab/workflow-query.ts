import { coerce, gte } from 'semver';

const PROJECT =
  'project { id name description httpUrlToRepo languages { name share } webUrl statisticsDetailsPaths { repository } }';
const BASE = `statusName projectId ${PROJECT} agentPrivilegesNames preApprovedAgentPrivilegesNames mcpEnabled allowAgentToRequestUser`;
const V18_8 =
  `${BASE} duoContextExclusionSettings { exclusionRules } namespaceId ` +
  'namespace { id name description webUrl aiSettings { promptInjectionProtectionLevel } } archived stalled';

/** Newest first: the query for the newest GitLab version not above the caller's (§6.2). */
const QUERIES: ReadonlyArray<[minimumVersion: string, fields: string]> = [
  [
    '19.0.0',
    `${V18_8} latestCheckpoint { threadTs parentTs metadata checkpoint compressedCheckpoint } ` +
      'duoWorkflowStatusCheck { foundationalFlowsEnabled enabledFoundationalFlows } incrementalCheckpointsEnabled webSearchEnabled',
  ],
  ['18.8.0', `${V18_8} latestCheckpoint { threadTs parentTs metadata checkpoint }`],
  ['0.0.0', `${BASE} firstCheckpoint { checkpoint }`],
];

export const workflowGlobalId = (workflowId: string) => `gid://gitlab/Ai::DuoWorkflows::Workflow/${workflowId}`;

/** The workflow fetch of §6.2 for `x-gitlab-version` (oldest query when unknown). */
export function workflowQuery(gitlabVersion: string | undefined): string {
  const version = coerce(gitlabVersion ?? '')?.version;
  const fields = QUERIES.find(([minimum]) => version !== undefined && gte(version, minimum))?.[1] ?? QUERIES[2][1];
  return (
    'query getDuoWorkflowWorkflows($workflowId: AiDuoWorkflowsWorkflowID!) { ' +
    `duoWorkflowWorkflows(workflowId: $workflowId) { nodes { ${fields} } } }`
  );
}

/** The approval question of §6.3. */
export const TOOL_CALL_APPROVED_QUERY =
  'query toolCallApproved($workflowId: AiDuoWorkflowsWorkflowID!, $toolName: String!, $toolCallArgs: String!) { ' +
  'duoWorkflowWorkflows(workflowId: $workflowId) { nodes { toolCallApproved(toolName: $toolName, toolCallArgs: $toolCallArgs) } } }';
