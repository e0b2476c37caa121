import { parseResourceUrl, SessionProject } from './gitlab-url';
import { defineTool, stringArg, ToolArgs } from './tool';
import { ToolError } from './tool-error';

/** The flows `start_flow` may hand a task to, and the registry flow each one starts (§6.4). */
const FLOW_DEFINITIONS: Record<string, string> = {
  developer: 'developer/v1',
  fix_pipeline: 'fix_pipeline/v1',
  code_review: 'code_review/v1',
};

const flowSchema = (name: string, properties: Record<string, object>, required: string[]) => ({
  type: 'object',
  properties: { name: { type: 'string', enum: [name] }, ...properties },
  required: ['name', ...required],
});

interface WorkflowPayload {
  goal: string;
  project_id?: string;
  issue_id?: number;
  merge_request_id?: number;
  additional_context?: Array<{ Category: string; Content: string }>;
}

/**
 * `start_flow` (privilege `start_flows`): creates and starts a GitLab agent session running one of the
 * foundational flows, through `POST /api/v4/ai/duo_workflows/agent_workflows` as the user.
 */
export const startFlowTool = defineTool(
  'start_flow',
  'Delegate a task to a specialist GitLab agent that works asynchronously over multiple steps. Always use this ' +
    "tool when the user's request matches one of the agents below.\n\nAvailable agents:\n" +
    '- developer: tasks that involve writing or changing code, resolving an issue, or implementing changes described ' +
    "in chat. The `goal` is the agent's only briefing: it does not see this conversation, so include the user's " +
    'intent, relevant GitLab URLs and context.\n' +
    '- fix_pipeline: fixing, debugging, or investigating a failing pipeline or broken build.\n' +
    '- code_review: read-only review of the changes in a merge request, not for implementing feedback.\n' +
    'Returns a session URL the user can follow to track progress.',
  {
    flow: {
      description: 'The agent to start and its input.',
      oneOf: [
        flowSchema(
          'developer',
          {
            goal: stringArg('Task description for the agent: intent, relevant GitLab URLs, context from the chat'),
            project_url: stringArg('Full URL of the GitLab project; omit to use the current project'),
            issue_url: stringArg('Full URL of the issue or work item the task relates to'),
          },
          ['goal'],
        ),
        flowSchema(
          'fix_pipeline',
          {
            pipeline_url: stringArg('Full URL of the failing pipeline'),
            merge_request_url: stringArg('Full URL of the merge request the pipeline ran for'),
            source_branch: stringArg('Branch the failing pipeline ran on'),
          },
          ['pipeline_url', 'merge_request_url', 'source_branch'],
        ),
        flowSchema('code_review', { merge_request_url: stringArg('Full URL of the merge request to review') }, [
          'merge_request_url',
        ]),
      ],
    },
  },
  ['flow'],
  async (args, context) => {
    const flow = (args.flow ?? {}) as ToolArgs;
    const name = String(flow.name);
    const definition = FLOW_DEFINITIONS[name];
    if (!definition)
      throw new ToolError(`Unknown flow: '${name}'. Use one of: ${Object.keys(FLOW_DEFINITIONS).join(', ')}`);
    const payload = payloadOf(name, flow, context.project);
    const result = await context.gitlab.once({
      method: 'POST',
      path: '/api/v4/ai/duo_workflows/agent_workflows',
      body: { workflow_definition: definition, environment: 'ambient', start_workflow: true, ...payload },
    });
    if (result.statusCode < 200 || result.statusCode >= 300) {
      throw new ToolError(`Failed to start flow: HTTP ${result.statusCode}: ${result.body.slice(0, 300)}`);
    }
    const workflowId = (JSON.parse(result.body || '{}') as { id?: number | string }).id;
    const sessionUrl =
      context.project.webUrl && workflowId !== undefined
        ? `${context.project.webUrl}/-/automate/agent-sessions/${workflowId}`
        : null;
    return JSON.stringify({
      status: 'started',
      workflow_id: workflowId ?? null,
      session_url: sessionUrl,
      flow_name: name,
    });
  },
);

function payloadOf(name: string, flow: ToolArgs, session: SessionProject): WorkflowPayload {
  const text = (field: string) => {
    if (typeof flow[field] !== 'string' || flow[field] === '')
      throw new ToolError(`flow.${field} is required for ${name}`);
    return flow[field] as string;
  };
  if (name === 'code_review') {
    const mr = parseResourceUrl(text('merge_request_url'), 'merge_requests', session);
    return { goal: String(mr.id), project_id: mr.project, merge_request_id: mr.id };
  }
  if (name === 'fix_pipeline') {
    const mr = parseResourceUrl(text('merge_request_url'), 'merge_requests', session);
    parseResourceUrl(text('pipeline_url'), 'pipelines', session);
    return {
      goal: text('pipeline_url'),
      project_id: mr.project,
      merge_request_id: mr.id,
      additional_context: [
        { Category: 'merge_request', Content: JSON.stringify({ url: text('merge_request_url') }) },
        { Category: 'pipeline', Content: JSON.stringify({ source_branch: text('source_branch') }) },
      ],
    };
  }
  const issue =
    typeof flow.issue_url === 'string' && flow.issue_url
      ? parseResourceUrl(flow.issue_url, 'issues', session)
      : undefined;
  const project =
    typeof flow.project_url === 'string' && flow.project_url ? projectPathOf(flow.project_url) : session.id;
  return {
    goal: text('goal'),
    project_id: issue && (!project || issue.project !== project) ? issue.project : project,
    ...(issue ? { issue_id: issue.id } : {}),
  };
}

function projectPathOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/\/-\/.*$/, '').replace(/^\/+|\/+$/g, ''));
  } catch {
    throw new ToolError(`Could not parse project URL '${url}': not a URL`);
  }
}
