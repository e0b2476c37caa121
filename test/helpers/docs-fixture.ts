import { join } from 'node:path';
import { REPO_ROOT } from './dockerfile';

/** 36 short pages laid out and written as GitLab's `doc/` tree is (front matter, shortcodes, headings). */
export const FIXTURE_DOCS = join(REPO_ROOT, 'test/fixtures/gitlab-docs');

/** What Rails' documentation tool sends to `POST /v1/search/gitlab-docs` (gitlab-versions.md §6). */
export const searchBody = (query: string, extra: Record<string, unknown> = {}) => ({
  type: 'search',
  metadata: { source: 'GitLab EE', version: '18.1.0' },
  payload: { query, ...extra },
});
