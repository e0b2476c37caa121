import { call, projectArg, resourceOf } from './gitlab-tools';
import { projectApiPath } from './gitlab-url';
import { defineTool, intArg, stringArg } from './tool';
import { ToolError } from './tool-error';

/** Job logs can be megabytes; the model gets the end, where failures are reported. */
const MAX_LOG_CHARS = 100_000;

interface Job {
  id: number;
  name: string;
  stage: string;
  status: string;
  failure_reason?: string;
  web_url?: string;
}

export const getPipelineFailingJobsTool = defineTool(
  'get_pipeline_failing_jobs',
  'List the failed jobs of a pipeline (id, name, stage, failure reason), by its URL or by project and pipeline id.',
  {
    url: stringArg('URL of the pipeline, e.g. "https://gitlab.example.com/group/project/-/pipelines/123"'),
    ...projectArg,
    pipeline_id: intArg('The pipeline id'),
  },
  [],
  async (args, context) => {
    const ref = resourceOf(args, context, 'pipelines', 'pipeline_id');
    const body = await call(context, {
      method: 'GET',
      path: `${projectApiPath(ref.project)}/pipelines/${ref.id}/jobs?scope[]=failed&per_page=100`,
    });
    const jobs = parsedJobs(body);
    if (jobs.length === 0) return `Pipeline ${ref.id} has no failed jobs.`;
    return JSON.stringify(
      jobs.map(({ id, name, stage, status, failure_reason }) => ({ id, name, stage, status, failure_reason })),
    );
  },
);

export const getJobLogsTool = defineTool(
  'get_job_logs',
  'Get the log (trace) of a CI job; long logs are cut to their end.',
  { ...projectArg, job_id: intArg('The job id') },
  ['project_id', 'job_id'],
  async (args, context) => {
    const log = await call(context, {
      method: 'GET',
      path: `${projectApiPath(String(args.project_id))}/jobs/${Number(args.job_id)}/trace`,
    });
    return log.length <= MAX_LOG_CHARS
      ? log
      : `[… first ${log.length - MAX_LOG_CHARS} characters cut …]\n${log.slice(-MAX_LOG_CHARS)}`;
  },
);

export const createMergeRequestNoteTool = defineTool(
  'create_merge_request_note',
  'Add a comment to a merge request, named by its URL or by project and merge request number.',
  {
    url: stringArg('URL of the merge request'),
    ...projectArg,
    merge_request_iid: intArg('The merge request number within the project'),
    body: stringArg('The comment (Markdown)'),
  },
  ['body'],
  (args, context) => {
    const ref = resourceOf(args, context, 'merge_requests', 'merge_request_iid');
    return call(context, {
      method: 'POST',
      path: `${projectApiPath(ref.project)}/merge_requests/${ref.id}/notes`,
      body: { body: String(args.body) },
    });
  },
);

function parsedJobs(body: string): Job[] {
  try {
    const jobs: unknown = JSON.parse(body);
    if (Array.isArray(jobs)) return jobs as Job[];
  } catch {
    // Reported below.
  }
  throw new ToolError('GitLab answered the jobs request without a list of jobs');
}
