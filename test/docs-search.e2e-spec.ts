import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDocsIndex } from '../apps/gateway/src/docs-search/docs-index-builder';
import { FakeOidcProvider } from './fakes/oidc-provider';
import { startGateway, TestGateway } from './helpers/gateway';
import { killSpawnedGateways, spawnGateway } from './helpers/gateway-process';
import { FIXTURE_DOCS, searchBody } from './helpers/docs-fixture';
import { REPO_ROOT } from './helpers/dockerfile';
import { authHeaders } from './helpers/tokens';

/** Questions as users type them into Duo Chat (not the pages' headings), and the page that answers each. */
const QUESTIONS: Array<[string, string]> = [
  ['how do I rotate a runner token?', '/ci/runners/runner_tokens.md'],
  ['my pipeline needs a password, how do I keep it out of the job logs?', '/ci/variables/_index.md'],
  ['can I run a pipeline every night automatically', '/ci/pipelines/schedules.md'],
  ['how to stop people from pushing straight to main', '/user/project/repository/branches/protected.md'],
  ['how many people have to approve an MR before it can be merged', '/user/project/merge_requests/approvals/rules.md'],
  ['combine all my commits into one when merging', '/user/project/merge_requests/squash_and_merge.md'],
  ['merge automatically once the pipeline passes', '/user/project/merge_requests/merge_when_pipeline_succeeds.md'],
  ['I need a token so my script can call the API', '/user/profile/personal_access_tokens.md'],
  ['set up an authenticator app for signing in', '/user/profile/account/two_factor_authentication.md'],
  ['generate an ssh key and add it to my account', '/user/ssh.md'],
  ['move a project to a different GitLab server', '/user/project/settings/import_export.md'],
  ['host a static website from my repo', '/user/project/pages/_index.md'],
  ['push a docker image to gitlab', '/user/packages/container_registry/_index.md'],
  ['how do I take a backup of my self-managed instance', '/administration/backup_restore/backup_gitlab.md'],
  ['I forgot the root password', '/administration/reset_user_password.md'],
  ['keep node_modules between jobs so builds are faster', '/ci/caching/_index.md'],
  ['undo a commit I already pushed', '/topics/git/undo.md'],
  ['copy my repo automatically to github', '/user/project/repository/mirror/_index.md'],
  ['notify my server when someone opens an issue', '/user/project/integrations/webhooks.md'],
  ["what can a developer do that a maintainer can't", '/user/permissions.md'],
];

interface SearchAnswer {
  response: { results: Array<{ id: string; content: string; metadata: Record<string, string> }> };
  metadata: { provider: string; timestamp: number };
}

describe('POST /v1/search/gitlab-docs (fixture documentation → npm run docs:index builder → booted app)', () => {
  let dir: string;
  let gitlab: FakeOidcProvider;
  let gateway: TestGateway;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'docs-search-e2e-'));
    buildDocsIndex({ docRoot: FIXTURE_DOCS, out: join(dir, 'docs.db'), gitlabVersion: 'v18.1.0-ee' });
    gitlab = await FakeOidcProvider.start();
    gateway = await startGateway({
      AIGW_GITLAB_URL: gitlab.issuer,
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      AIGW_DOCS_SEARCH__INDEX_PATH: join(dir, 'docs.db'),
      AIGW_DOCS_SEARCH__BASE_URL: 'https://docs.example.com/18.1/',
    });
  });
  afterAll(async () => {
    await Promise.all([gateway.close(), gitlab.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const search = (body: unknown, scopes = ['documentation_search']) =>
    fetch(`${gateway.baseUrl}/v1/search/gitlab-docs`, {
      method: 'POST',
      headers: { ...authHeaders(gitlab, scopes), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('finds the page that answers at least 18 of 20 questions in its top 4 results', async () => {
    let top1 = 0;
    let top4 = 0;
    const misses: string[] = [];
    for (const [question, page] of QUESTIONS) {
      const answer = (await (await search(searchBody(question))).json()) as SearchAnswer;
      const rank = answer.response.results.findIndex((result) => result.id === page);
      if (rank === 0) top1 += 1;
      if (rank >= 0) top4 += 1;
      else misses.push(`${question} → ${answer.response.results.map((result) => result.id).join(', ')}`);
    }
    process.stdout.write(
      `docs search recall@1 ${top1}/${QUESTIONS.length}, recall@4 ${top4}/${QUESTIONS.length}${misses.length ? `; missed: ${misses.join('; ')}` : ''}\n`,
    );
    expect(top4).toBeGreaterThanOrEqual(18);
  });

  it('answers in upstream’s shape: id = page path, section content, metadata with the source URL', async () => {
    const response = await search(searchBody('How do I reset the runner authentication token?', { page_size: 2 }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = (await response.json()) as SearchAnswer;
    expect(answer.metadata).toEqual({ provider: 'sqlite', timestamp: expect.any(Number) });
    expect(Math.abs(answer.metadata.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(answer.response.results).toHaveLength(2);
    const [best] = answer.response.results;
    expect(best).toEqual({
      id: '/ci/runners/runner_tokens.md',
      content: expect.stringMatching(/^## Reset the runner authentication token\n\nIf a token leaks/),
      metadata: {
        filename: '/ci/runners/runner_tokens.md',
        title: 'Runner authentication tokens',
        heading: 'Reset the runner authentication token',
        anchor: 'reset-the-runner-authentication-token',
        md5sum: expect.stringMatching(/^[0-9a-f]{32}$/),
        source: 'ci/runners/runner_tokens.md',
        source_type: 'doc',
        source_url: 'https://docs.example.com/18.1/ci/runners/runner_tokens/#reset-the-runner-authentication-token',
      },
    });
    expect(best.content).not.toMatch(/\{\{|<!--/);
  });

  it('returns page_size results (default 4, at most 20), and none for a query without words', async () => {
    const count = async (extra: Record<string, unknown>, query = 'project settings') =>
      ((await (await search(searchBody(query, extra))).json()) as SearchAnswer).response.results.length;
    expect(await count({})).toBe(4);
    expect(await count({ page_size: 1 })).toBe(1);
    expect(await count({ page_size: 20 })).toBeGreaterThan(4);
    expect(await count({}, '?!? …')).toBe(0);
    expect(await count({}, 'zzqx')).toBe(0);
    expect(await count({}, '" OR NEAR(* -')).toBe(0);
  });

  it('answers 422 naming the field for a bad body, and 403 without documentation_search', async () => {
    const tooLarge = await search(searchBody('x', { page_size: 21 }));
    expect(tooLarge.status).toBe(422);
    expect(((await tooLarge.json()) as any).detail).toEqual([
      expect.objectContaining({
        loc: ['body', 'payload', 'page_size'],
        msg: 'Input should be less than or equal to 20',
      }),
    ]);
    const noQuery = await search({ type: 'search', metadata: { source: 's', version: '1' }, payload: {} });
    expect(((await noQuery.json()) as any).detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc: ['body', 'payload', 'query'], msg: 'Field required' })]),
    );
    const longVersion = await search({ ...searchBody('x'), metadata: { source: 's', version: 'v'.repeat(101) } });
    expect(longVersion.status).toBe(422);
    const denied = await search(searchBody('runner'), ['duo_chat']);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ detail: 'Unauthorized to search documentations' });
  });

  it('reports the index on /monitoring/ready', async () => {
    const ready = (await (await fetch(`${gateway.baseUrl}/monitoring/ready`)).json()) as any;
    expect(ready.details.docs_search).toEqual({
      status: 'up',
      available: true,
      gitlab_version: 'v18.1.0-ee',
      sections: expect.any(Number),
      built_at: expect.any(String),
    });
  });
});

describe('docs search without a usable index (spawned gateway)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'docs-search-off-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => killSpawnedGateways());

  it.each([
    ['no index file', 'up', (path: string) => path],
    [
      'a corrupt index file',
      'degraded',
      (path: string) => (writeFileSync(path, 'SQLite format 3\0'.padEnd(4096, 'x')), path),
    ],
  ])(
    'with %s: one warning at start-up, then an empty list for every search; readiness %s',
    async (_case, status, prepare) => {
      const path = prepare(join(dir, `${_case.replace(/ /g, '-')}.db`));
      const gateway = await spawnGateway({ AIGW_AUTH__BYPASS_EXTERNAL: 'true', AIGW_DOCS_SEARCH__INDEX_PATH: path });
      for (let i = 0; i < 3; i += 1) {
        const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/v1/search/gitlab-docs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(searchBody('runner token')),
        });
        expect(response.status).toBe(200);
        expect(((await response.json()) as any).response).toEqual({ results: [] });
      }
      const ready = (await (await fetch(`http://127.0.0.1:${gateway.httpPort}/monitoring/ready`)).json()) as any;
      expect(ready.details.docs_search).toMatchObject({ status, available: false });
      const warnings = gateway.logs.filter((line) => line.logger === 'docs_search' && line.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].message).toMatch(/^Documentation search is off/);
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
    },
  );
});

describe('npm run docs:index (the built CLI)', () => {
  const cli = join(REPO_ROOT, 'dist/apps/gateway/docs-index.js');
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, [cli, ...args]).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'docs-index-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes a doc/ tree into the file given, recording the GitLab version', async () => {
    const out = join(dir, 'nested/docs.db');
    const { code, stdout } = await run(FIXTURE_DOCS, '--out', out, '--gitlab-version', 'v18.1.0-ee');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Indexed 36 pages, \\d+ sections \\(GitLab v18.1.0-ee\\) into ${out} in`));
  });

  it('exits 2 with the usage for wrong arguments, 1 for a folder without pages', async () => {
    const noArgs = await run();
    expect([noArgs.code, noArgs.stderr]).toEqual([2, expect.stringContaining('Usage: npm run docs:index')]);
    const unknown = await run(FIXTURE_DOCS, '--bogus');
    expect(unknown.code).toBe(2);
    const empty = await run(dir, '--out', join(dir, 'x.db'));
    expect([empty.code, empty.stderr]).toEqual([1, expect.stringMatching(/holds no Markdown pages/)]);
  });
});
