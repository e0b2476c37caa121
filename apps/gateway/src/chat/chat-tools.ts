import semver from 'semver';
import { can, Identity } from '@app/auth';

/** A tool the ReAct agent may choose; GitLab runs it and returns the observation. */
export interface ChatTool {
  name: string;
  description: string;
  /** Shown to the model in the system prompt. */
  example: string;
  unitPrimitive: string;
  /** Lowest `X-Gitlab-Version` that can run the tool. */
  minGitlabVersion?: string;
}

const example = (question: string, thought: string, tool: string) =>
  `Question: ${question}\nThought: ${thought}\nAction: ${tool}\nAction Input: ${question}`;

/** The chat tools and their gates (http-api.md §3.2; `commit_reader` without a feature flag, gitlab-versions.md §1). */
export const CHAT_TOOLS: readonly ChatTool[] = [
  {
    name: 'issue_reader',
    description:
      'Fetches an issue (title, description, labels, comments) by URL, reference or number, or the issue the user is viewing.',
    example: example('Who is assigned to issue #12?', 'I need the details of issue #12.', 'issue_reader'),
    unitPrimitive: 'ask_issue',
  },
  {
    name: 'epic_reader',
    description: 'Fetches an epic by URL, reference or number, or the epic the user is viewing.',
    example: example('Summarize epic &7.', 'I need the content of epic &7.', 'epic_reader'),
    unitPrimitive: 'ask_epic',
  },
  {
    name: 'build_reader',
    description: 'Fetches a CI job (status, log excerpt) by URL or ID, or the job the user is viewing.',
    example: example('Why did this job fail?', 'I need the log of the current job.', 'build_reader'),
    unitPrimitive: 'ask_build',
    minGitlabVersion: '17.5.0-pre',
  },
  {
    name: 'merge_request_reader',
    description:
      'Fetches a merge request (description, changes, discussion) by URL, reference or number, or the one the user is viewing.',
    example: example('What does !15 change?', 'I need the details of merge request !15.', 'merge_request_reader'),
    unitPrimitive: 'ask_merge_request',
    minGitlabVersion: '17.5.0-pre',
  },
  {
    name: 'gitlab_documentation',
    description: 'Searches the GitLab documentation; use it for questions about how to use or configure GitLab.',
    example: example(
      'How do I protect a branch?',
      'The GitLab documentation explains branch protection.',
      'gitlab_documentation',
    ),
    unitPrimitive: 'documentation_search',
  },
  {
    name: 'commit_reader',
    description:
      'Fetches a commit (message, author, changes) by URL, SHA or reference, or the commit the user is viewing.',
    example: example('What changed in commit 3f2a9c1?', 'I need the details of that commit.', 'commit_reader'),
    unitPrimitive: 'ask_commit',
    minGitlabVersion: '17.5.0-pre',
  },
];

/** The tools this caller may be offered; bypass users get all of them. */
export function availableTools(identity: Identity | undefined): ChatTool[] {
  if (identity?.isDebug) return [...CHAT_TOOLS];
  const version = parseVersion(identity?.gitlabVersion);
  return CHAT_TOOLS.filter(
    (tool) =>
      can(identity, tool.unitPrimitive) &&
      (!tool.minGitlabVersion || (version !== undefined && semver.gte(version, tool.minGitlabVersion))),
  );
}

function parseVersion(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return semver.valid(header.trim()) ?? semver.coerce(header)?.version;
}
