import { GitLabCall } from '../gitlab/gitlab-http';
import { GitLabResource, parseResourceUrl, projectApiPath, ResourceRef } from './gitlab-url';
import { defineTool, intArg, stringArg, ToolArgs, ToolContext } from './tool';
import { ToolError } from './tool-error';

const project = (args: ToolArgs) => projectApiPath(String(args.project_id));
export const projectArg = { project_id: stringArg('Project id or full path, e.g. "gitlab-org/gitlab"') };

/** A resource named by `url`, or by `project_id` and the number field. */
export function resourceOf(
  args: ToolArgs,
  context: ToolContext,
  resource: GitLabResource,
  idField: string,
): ResourceRef {
  if (typeof args.url === 'string' && args.url !== '') return parseResourceUrl(args.url, resource, context.project);
  const id = Number(args[idField]);
  if (args.project_id === undefined || args.project_id === null || !Number.isInteger(id) || id <= 0) {
    throw new ToolError(`Give either url, or project_id and ${idField}`);
  }
  return { project: String(args.project_id), id };
}

/** One REST or GraphQL call as the user; a non-2xx answer is a tool error the model can read. */
export async function call(context: ToolContext, request: GitLabCall): Promise<string> {
  const result = await context.gitlab.once(request);
  if (result.statusCode < 200 || result.statusCode >= 300) {
    throw new ToolError(`GitLab answered HTTP ${result.statusCode}: ${result.body.slice(0, 2000)}`);
  }
  return result.body;
}

export const gitlabApiGetTool = defineTool(
  'gitlab_api_get',
  'GET a GitLab REST API v4 endpoint, e.g. "projects/42/issues?state=opened".',
  { endpoint: stringArg('Path below /api/v4/, with the query string') },
  ['endpoint'],
  (args, context) => {
    const endpoint = String(args.endpoint).replace(/^\/?(api\/v4\/)?/, '');
    if (endpoint.split(/[/?]/).includes('..')) throw new ToolError('Invalid endpoint');
    return call(context, { method: 'GET', path: `/api/v4/${endpoint}` });
  },
);

export const gitlabGraphqlTool = defineTool(
  'gitlab_graphql',
  'Run a read-only GitLab GraphQL query.',
  { query: stringArg('The GraphQL query'), variables: { type: 'object', description: 'Query variables' } },
  ['query'],
  (args, context) => {
    if (/^\s*mutation\b/i.test(String(args.query))) throw new ToolError('Mutations are not allowed');
    return call(context, {
      method: 'POST',
      path: '/api/graphql',
      body: { query: args.query, variables: args.variables ?? {} },
    });
  },
);

export const getIssueTool = defineTool(
  'get_issue',
  'Get an issue of a project, by its URL or by project and issue number.',
  {
    url: stringArg('URL of the issue, e.g. "https://gitlab.example.com/group/project/-/issues/42"'),
    ...projectArg,
    issue_iid: intArg('The issue number within the project'),
  },
  [],
  (args, context) => {
    const ref = resourceOf(args, context, 'issues', 'issue_iid');
    return call(context, { method: 'GET', path: `${projectApiPath(ref.project)}/issues/${ref.id}` });
  },
);

export const getMergeRequestTool = defineTool(
  'get_merge_request',
  'Get a merge request, by its URL or by project and merge request number.',
  {
    url: stringArg('URL of the merge request'),
    ...projectArg,
    merge_request_iid: intArg('The merge request number within the project'),
  },
  [],
  (args, context) => {
    const ref = resourceOf(args, context, 'merge_requests', 'merge_request_iid');
    return call(context, { method: 'GET', path: `${projectApiPath(ref.project)}/merge_requests/${ref.id}` });
  },
);

export const listMergeRequestDiffsTool = defineTool(
  'list_merge_request_diffs',
  'List the file diffs of a merge request, by its URL or by project and merge request number.',
  {
    url: stringArg('URL of the merge request'),
    ...projectArg,
    merge_request_iid: intArg('The merge request number within the project'),
  },
  [],
  (args, context) => {
    const ref = resourceOf(args, context, 'merge_requests', 'merge_request_iid');
    return call(context, { method: 'GET', path: `${projectApiPath(ref.project)}/merge_requests/${ref.id}/diffs` });
  },
);

export const createIssueTool = defineTool(
  'create_issue',
  'Create an issue in a project.',
  { ...projectArg, title: stringArg('Issue title'), description: stringArg('Issue description (Markdown)') },
  ['project_id', 'title'],
  (args, context) =>
    call(context, {
      method: 'POST',
      path: `${project(args)}/issues`,
      body: { title: args.title, description: args.description ?? '' },
    }),
);

export const createMergeRequestTool = defineTool(
  'create_merge_request',
  'Create a merge request in a project.',
  {
    ...projectArg,
    source_branch: stringArg('Branch with the changes'),
    target_branch: stringArg('Branch to merge into'),
    title: stringArg('Merge request title'),
    description: stringArg('Merge request description (Markdown)'),
  },
  ['project_id', 'source_branch', 'target_branch', 'title'],
  (args, context) =>
    call(context, {
      method: 'POST',
      path: `${project(args)}/merge_requests`,
      body: {
        source_branch: args.source_branch,
        target_branch: args.target_branch,
        title: args.title,
        description: args.description ?? '',
      },
    }),
);
