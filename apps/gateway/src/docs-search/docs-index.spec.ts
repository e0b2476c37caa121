import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDocsIndex } from './docs-index-builder';
import { DocsIndex, DocsIndexUnavailable } from './docs-index';

describe(DocsIndex.name, () => {
  let dir: string;
  let index: DocsIndex;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'docs-index-'));
    const pages: Record<string, string> = {
      'runner.md': '---\ntitle: Runners\n---\n\n## Rotate a runner token\n\nRotate the token of a runner.\n',
      'pipelines.md': '---\ntitle: Pipelines\n---\n\n## Schedule a pipeline\n\nPipelines run on a schedule.\n',
    };
    for (const [file, text] of Object.entries(pages)) writeFileSync(join(dir, file), text);
    mkdirSync(join(dir, 'out'));
    path = join(dir, 'out', 'docs.db');
    buildDocsIndex({ docRoot: dir, out: path, gitlabVersion: '18.1' });
    index = new DocsIndex();
  });
  afterEach(() => {
    index.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers searches from its worker thread, each caller its own rows, concurrent ones included', async () => {
    expect(index.open(path)).toMatchObject({ gitlab_version: '18.1' });
    const [runner, pipeline, none] = await Promise.all([
      index.find('"runner"', 4),
      index.find('"schedule"', 4),
      index.find('"kubernetes"', 4),
    ]);
    expect(runner.map((row) => row.path)).toEqual(['/runner.md']);
    expect(pipeline.map((row) => row.heading)).toEqual(['Schedule a pipeline']);
    expect(none).toEqual([]);
  });

  it('rejects a query the index cannot run, and goes on answering the next ones', async () => {
    index.open(path);
    await expect(index.find('"unterminated', 4)).rejects.toThrow(/unterminated string|syntax error/);
    expect(await index.find('"runner"', 4)).toHaveLength(1);
  });

  it('fails the searches still waiting when closed, and answers none after', async () => {
    index.open(path);
    const waiting = index.find('"runner"', 4);
    index.close();
    await expect(waiting).rejects.toThrow('the documentation index was closed');
    expect(await index.find('"runner"', 4)).toEqual([]);
  });

  it('refuses a file that is not an index, naming it', () => {
    const other = join(dir, 'other.db');
    writeFileSync(other, 'not sqlite');
    expect(() => index.open(other)).toThrow(DocsIndexUnavailable);
    expect(() => index.open(other)).toThrow(`${other} is not a readable documentation index`);
  });
});
