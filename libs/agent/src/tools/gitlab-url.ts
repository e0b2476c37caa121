import { ToolError } from './tool-error';

export type GitLabResource = 'issues' | 'merge_requests' | 'pipelines' | 'jobs';

/** The project the session runs in: its web URL and id (from the workflow fetch, §6.2). */
export interface SessionProject {
  webUrl?: string;
  id?: string;
}

export interface ResourceRef {
  /** The project's id (the session's own project) or its decoded full path. */
  project: string;
  id: number;
}

/**
 * `https://gitlab.example/group/project/-/issues/42` → `{project: 'group/project', id: 42}` (work item URLs
 * count as issues). A URL of the session's own project resolves to its id, which also holds when GitLab
 * lives below a relative URL root; any URL must be on the session's GitLab host.
 */
export function parseResourceUrl(url: string, resource: GitLabResource, session: SessionProject): ResourceRef {
  const fail = (reason: string) => new ToolError(`Could not parse ${label(resource)} URL '${url}': ${reason}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail('not a URL');
  }
  const home = session.webUrl ? new URL(session.webUrl) : undefined;
  if (home && home.host !== parsed.host) throw fail('it is not on this GitLab instance');
  const kinds = resource === 'issues' ? '(?:issues|work_items)' : resource;
  const match = new RegExp(`^/(.+?)/-/${kinds}/(\\d+)/?$`).exec(parsed.pathname);
  if (!match) throw fail(`expected …/-/${resource}/<id>`);
  const ownProject = home && session.id && `/${match[1]}` === home.pathname.replace(/\/$/, '');
  return { project: ownProject ? String(session.id) : decodeURIComponent(match[1]), id: Number(match[2]) };
}

/** `/api/v4/projects/<id or encoded path>`. */
export function projectApiPath(project: string | number): string {
  return `/api/v4/projects/${encodeURIComponent(String(project))}`;
}

const label = (resource: GitLabResource) => resource.replace(/s$/, '').replace('_', ' ');
