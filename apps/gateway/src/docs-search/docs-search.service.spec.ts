import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppConfig } from '../config';
import { ReadinessRegistry } from '../health/readiness-registry';
import { buildDocsIndex } from './docs-index-builder';
import { DocsIndex } from './docs-index';
import { SearchRequestDto, SearchResult } from './docs-search.dto';
import { DocsSearchService, sourceUrl, withinTokenBudget } from './docs-search.service';
import { recordingLogger } from '@test/helpers/recording-logger';

const request = (query: string, extra: { page_size?: number; version?: string } = {}): SearchRequestDto => ({
  type: 'search',
  metadata: { source: 'GitLab EE', version: extra.version ?? '18.1.0' },
  payload: { query, page_size: extra.page_size },
});

describe(DocsSearchService.name, () => {
  let dir: string;
  const opened: DocsIndex[] = [];
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'docs-search-'))));
  afterEach(() => {
    opened.splice(0).forEach((index) => index.close());
    rmSync(dir, { recursive: true, force: true });
  });

  function start(indexPath: string, index = new DocsIndex()) {
    opened.push(index);
    const config = new AppConfig();
    config.docsSearch.indexPath = indexPath;
    const readiness = new ReadinessRegistry();
    const { entries, logger } = recordingLogger();
    const service = new DocsSearchService(index, config, readiness, logger);
    service.onModuleInit();
    const ready = () => readiness.all()[0]() as unknown as { docs_search: Record<string, unknown> };
    return { service, logs: entries, ready };
  }

  function buildIndex(pages: Record<string, string>, gitlabVersion = 'v18.1.0-ee'): string {
    const root = join(dir, 'doc');
    for (const [path, text] of Object.entries(pages)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const out = join(dir, 'docs.db');
    buildDocsIndex({ docRoot: root, out, gitlabVersion });
    return out;
  }

  it('without an index file: warns once at start-up, answers every search with no results, reports it on readiness', async () => {
    const { service, logs, ready } = start(join(dir, 'missing.db'));
    expect(await service.search(request('runner token'))).toEqual([]);
    expect(await service.search(request('runner token'))).toEqual([]);
    expect(logs.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('Documentation search is off (no index file at') }),
    ]);
    expect(ready().docs_search).toMatchObject({ status: 'up', available: false });
  });

  it('with a corrupt file: warns once and answers with no results instead of failing', async () => {
    const path = join(dir, 'docs.db');
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const { service, logs, ready } = start(path);
    expect(await service.search(request('runner token'))).toEqual([]);
    expect(logs.filter((line) => line.level === 'warn')).toHaveLength(1);
    expect(ready().docs_search).toMatchObject({
      status: 'degraded',
      reason: expect.stringMatching(/is not a readable documentation index/),
    });
  });

  it('refuses an index of another schema version, naming the fix', () => {
    const path = join(dir, 'docs.db');
    const database = new DatabaseSync(path);
    database.exec(
      "CREATE TABLE index_info (key TEXT PRIMARY KEY, value TEXT); INSERT INTO index_info VALUES ('schema_version', '0')",
    );
    database.close();
    const { ready } = start(path);
    expect(ready().docs_search.reason).toMatch(/schema 0, this gateway reads 1: rebuild it with npm run docs:index/);
  });

  it('answers ranked sections with upstream’s result shape and URLs on the documentation site', async () => {
    const path = buildIndex({
      'ci/runners/_index.md':
        '---\ntitle: Runners\n---\n\nRunners run jobs.\n\n## Runner tokens\n\nA runner token authenticates the runner.\n',
      'user/ssh.md': '---\ntitle: SSH keys\n---\n\nSSH keys.\n',
    });
    const { service, ready } = start(path);
    expect(ready().docs_search).toMatchObject({
      status: 'up',
      available: true,
      gitlab_version: 'v18.1.0-ee',
      sections: 3,
    });
    const results = await service.search(request('runner token', { page_size: 1 }));
    expect(results).toEqual<SearchResult[]>([
      {
        id: '/ci/runners/_index.md',
        content: '## Runner tokens\n\nA runner token authenticates the runner.',
        metadata: {
          filename: '/ci/runners/_index.md',
          title: 'Runners',
          heading: 'Runner tokens',
          anchor: 'runner-tokens',
          md5sum: expect.stringMatching(/^[0-9a-f]{32}$/),
          source: 'ci/runners/_index.md',
          source_type: 'doc',
          source_url: 'https://docs.gitlab.com/ci/runners/#runner-tokens',
        },
      },
    ]);
    expect(await service.search(request('runner'))).toHaveLength(2);
    expect(await service.search(request('?!'))).toEqual([]);
  });

  it('answers from the index whatever version asks, logging a different minor version once', async () => {
    const { service, logs } = start(buildIndex({ 'a.md': '---\ntitle: A\n---\n\nAlpha.\n' }));
    await service.search(request('alpha', { version: '18.1.3' }));
    expect(logs.filter((line) => line.fields.requested_version)).toEqual([]);
    expect(await service.search(request('alpha', { version: '17.9.0' }))).toHaveLength(1);
    await service.search(request('alpha', { version: '17.8.0' }));
    expect(logs.filter((line) => line.fields.requested_version)).toEqual([
      expect.objectContaining({ fields: { requested_version: '17.9.0', index_version: 'v18.1.0-ee' } }),
    ]);
  });

  it('answers no results, logged, when the index fails under a query', async () => {
    const path = buildIndex({ 'a.md': '---\ntitle: A\n---\n\nAlpha.\n' });
    const failing = new (class extends DocsIndex {
      override find(): Promise<never> {
        return Promise.reject(new Error('database disk image is malformed'));
      }
    })();
    const { service, logs } = start(path, failing);
    expect(await service.search(request('alpha'))).toEqual([]);
    expect(await service.search(request('alpha'))).toEqual([]);
    expect(logs.filter((line) => line.level === 'warn')).toHaveLength(1);
  });
});

describe(withinTokenBudget.name, () => {
  const result = (words: number): SearchResult =>
    ({ id: 'x', content: Array.from({ length: words }, () => 'w').join(' '), metadata: {} }) as SearchResult;

  it('stops before the running estimate (1.4 tokens a word) passes 8,000', () => {
    expect(withinTokenBudget([result(3000), result(2900), result(10)])).toHaveLength(1);
    expect(withinTokenBudget([result(2000), result(2000), result(1714)])).toHaveLength(3);
    expect(withinTokenBudget([result(6000)])).toEqual([]);
  });
});

describe(sourceUrl.name, () => {
  it('maps page paths to the documentation site, index pages to their folder', () => {
    expect(sourceUrl('https://docs.gitlab.com/', '/user/ssh.md', 'add-a-key')).toBe(
      'https://docs.gitlab.com/user/ssh/#add-a-key',
    );
    expect(sourceUrl('https://docs.example.com/18.1', '/ci/_index.md', '')).toBe('https://docs.example.com/18.1/ci/');
    expect(sourceUrl('https://docs.gitlab.com/', '/index.md', '')).toBe('https://docs.gitlab.com/');
  });
});
