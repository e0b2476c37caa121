import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Pool } from 'undici';
import { Random } from '@test/helpers/random';
import { authHeaders } from '@test/helpers/tokens';
import { DocsIndex } from '../../apps/gateway/src/docs-search/docs-index';
import { matchExpression } from '../../apps/gateway/src/docs-search/search-query';
import { BenchContext, gatewayEnv, logFile } from '../bench-context';
import { startGateway } from '../processes';
import { median, percentile, round } from '../stats';

const ROOT = join(__dirname, '../..');
/** GitLab's documentation is about 3,000 pages and 30,000 sections. */
const PAGES = 3000;
const SECTIONS_PER_PAGE = 9;
const VOCABULARY = 6000;
const OPENS = 20;
const SETTLE_MS = 2000;

export interface DocsSearchRow {
  pages: number;
  sections: number;
  buildS: number;
  indexMb: number;
  /** `DocsIndex.open` in-process (the check the gateway does at start-up), median of 20. */
  openMs: number;
  /** One FTS5 query in-process, typical questions (see {@link typicalQuestion}). */
  queryP50Ms: number;
  queryP99Ms: number;
  /** The same with questions made of the corpus' most frequent words: every section matches, all are scored. */
  worstQueryP50Ms: number;
  worstQueryP99Ms: number;
  /** `POST /v1/search/gitlab-docs` through the gateway, one request at a time (page_size 4). */
  httpP50Ms: number;
  httpP99Ms: number;
  /** Gateway RSS with the index minus without, idle and after the searches. */
  idleRssAddedMb: number;
  searchingRssAddedMb: number;
}

/** Scenario `docs`: a generated 30,000-section documentation index, built, opened and searched. */
export async function docsSearch(context: BenchContext): Promise<DocsSearchRow> {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-bench-docs-'));
  try {
    const words = vocabulary();
    const random = new Random(16).next; // the same tree and questions on every run
    writeDocTree(join(dir, 'doc'), words, random);
    const out = join(dir, 'gitlab-docs.db');
    const started = performance.now();
    const cli = join(ROOT, 'dist/apps/gateway/docs-index.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, join(dir, 'doc'), '--out', out]);
    const buildS = (performance.now() - started) / 1000;
    const [, pages, sections] = /Indexed (\d+) pages, (\d+) sections/.exec(stdout) ?? [];
    const questions = Array.from({ length: context.plan.quick ? 300 : 2000 }, () => typicalQuestion(words, random));
    const worst = Array.from({ length: context.plan.quick ? 50 : 300 }, () => commonWordsQuestion(words, random));
    const inProcess = await measureInProcess(out, questions, worst);
    const http = await measureGateway(context, out, questions.slice(0, context.plan.quick ? 200 : 1000));
    return {
      pages: Number(pages),
      sections: Number(sections),
      buildS: round(buildS, 1),
      indexMb: round(statSync(out).size / 2 ** 20, 1),
      ...inProcess,
      ...http,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureInProcess(path: string, questions: string[], worst: string[]) {
  const opens: number[] = [];
  const index = new DocsIndex();
  for (let run = 0; run < OPENS; run += 1) {
    const started = performance.now();
    index.open(path);
    opens.push(performance.now() - started);
  }
  // One at a time, each a round trip to the query worker (what a request waits for).
  const timed = async (texts: string[]) => {
    const latencies: number[] = [];
    for (const text of texts) {
      const started = performance.now();
      await index.find(matchExpression(text)!, 4);
      latencies.push(performance.now() - started);
    }
    return latencies;
  };
  const latencies = await timed(questions);
  const worstLatencies = await timed(worst);
  index.close();
  return {
    openMs: round(median(opens), 3),
    queryP50Ms: round(percentile(latencies, 50)),
    queryP99Ms: round(percentile(latencies, 99)),
    worstQueryP50Ms: round(percentile(worstLatencies, 50)),
    worstQueryP99Ms: round(percentile(worstLatencies, 99)),
  };
}

async function measureGateway(context: BenchContext, path: string, questions: string[]) {
  const without = await startGateway(
    gatewayEnv(context, { AIGW_DOCS_SEARCH__INDEX_PATH: join(path, 'missing') }),
    logFile(context, 'docs-search'),
    context.gatewayNodeArgs,
  );
  await sleep(SETTLE_MS);
  const baseRss = without.rssBytes();
  await without.stop();
  const gateway = await startGateway(
    gatewayEnv(context, { AIGW_DOCS_SEARCH__INDEX_PATH: path }),
    logFile(context, 'docs-search'),
    context.gatewayNodeArgs,
  );
  try {
    await sleep(SETTLE_MS);
    const idleRss = gateway.rssBytes();
    const pool = new Pool(gateway.baseUrl, { connections: 1 });
    const headers = { ...authHeaders(context.gitlab, ['documentation_search']), 'content-type': 'application/json' };
    const latencies: number[] = [];
    for (const query of questions) {
      const body = JSON.stringify({
        type: 'search',
        metadata: { source: 'bench', version: '18.1.0' },
        payload: { query },
      });
      const started = performance.now();
      const response = await pool.request({ path: '/v1/search/gitlab-docs', method: 'POST', headers, body });
      await response.body.dump({ limit: Number.POSITIVE_INFINITY });
      if (response.statusCode !== 200) throw new Error(`search answered ${response.statusCode}`);
      latencies.push(performance.now() - started);
    }
    await pool.close();
    return {
      httpP50Ms: round(percentile(latencies, 50)),
      httpP99Ms: round(percentile(latencies, 99)),
      idleRssAddedMb: round((idleRss - baseRss) / 2 ** 20, 1),
      searchingRssAddedMb: round((gateway.rssBytes() - baseRss) / 2 ** 20, 1),
    };
  } finally {
    await gateway.stop();
  }
}

/** Pages of GitLab's shape: front matter, an intro, `##` sections of 80–160 words drawn Zipf-like from `words`. */
function writeDocTree(root: string, words: string[], random: () => number): void {
  for (let page = 0; page < PAGES; page += 1) {
    const folder = join(root, `area${page % 40}`, `topic${page % 300}`);
    mkdirSync(folder, { recursive: true });
    const sections = Array.from(
      { length: SECTIONS_PER_PAGE },
      () => `## ${phrase(words, random, 3 + Math.floor(random() * 4))}\n\n${paragraph(words, random)}`,
    );
    const text = `---\nstage: Bench\ntitle: ${phrase(words, random, 4)}\n---\n\n${paragraph(words, random)}\n\n${sections.join('\n\n')}\n`;
    writeFileSync(join(folder, `page${page}.md`), text);
  }
}

function paragraph(words: string[], random: () => number): string {
  return `${phrase(words, random, 80 + Math.floor(random() * 80))}.`;
}

function phrase(words: string[], random: () => number, length: number): string {
  return Array.from({ length }, () => words[zipf(random, words.length)]).join(' ');
}

/**
 * What users ask: one broad word (like "project" or "pipeline", ranks 20–100 here, each in a few thousand
 * sections) and two to four specific ones (rank 200 on). The Zipf head (ranks below 20, in nearly every
 * section) plays the part of the stop words a real question loses.
 */
function typicalQuestion(words: string[], random: () => number): string {
  const broad = words[20 + Math.floor(random() * 80)];
  const specific = Array.from({ length: 2 + Math.floor(random() * 3) }, () => words[200 + Math.floor(random() * 5800)]);
  return `how do I ${[broad, ...specific].join(' ')}?`;
}

/** Words drawn by frequency, as the text itself: most are in every section. */
function commonWordsQuestion(words: string[], random: () => number): string {
  return `how do I ${phrase(words, random, 3 + Math.floor(random() * 6))}?`;
}

/** Rank r with probability ∝ 1/r, as word frequencies in prose. */
function zipf(random: () => number, size: number): number {
  return Math.min(size - 1, Math.floor(Math.exp(random() * Math.log(size + 1))) - 1);
}

function vocabulary(): string[] {
  const syllables = ['ra', 'pi', 'lo', 'ne', 'tu', 'ka', 'mi', 'so', 've', 'di', 'gra', 'ble', 'con', 'fig', 'run'];
  return Array.from({ length: VOCABULARY }, (_, i) => {
    let word = '';
    for (let n = i + 1; n > 0; n = Math.floor(n / syllables.length)) word += syllables[n % syllables.length];
    return word;
  });
}

/** Its section of docs/benchmarks.md. */
export function docsSearchSection(row: DocsSearchRow): string {
  return [
    `**Documentation search** (generated index: ${row.pages.toLocaleString('en')} pages, ${row.sections.toLocaleString('en')} sections, ${row.indexMb} MB, built in ${row.buildS} s)`,
    '| open ms | query p50 ms | query p99 ms | worst-case query p50 / p99 ms | HTTP p50 ms | HTTP p99 ms | RSS added idle MB | RSS added searching MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${row.openMs} | ${row.queryP50Ms} | ${row.queryP99Ms} | ${row.worstQueryP50Ms} / ${row.worstQueryP99Ms} | ${row.httpP50Ms} | ${row.httpP99Ms} | ${row.idleRssAddedMb} | ${row.searchingRssAddedMb} |`,
  ].join('\n');
}
