import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { AppConfig } from '../config';
import { ReadinessRegistry } from '../health/readiness-registry';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';
import { projectRoot } from '../project-root';
import { DocsIndexInfo } from './docs-index-schema';
import { DocsIndex, DocsIndexUnavailable, IndexedSection } from './docs-index';
import { DEFAULT_PAGE_SIZE, SearchRequestDto, SearchResult } from './docs-search.dto';
import { matchExpression } from './search-query';

/** Results stop before their running token estimate passes this (http-api.md §4.2). */
const MAX_RESULT_TOKENS = 8000;

/** Upstream's estimate: 1.4 tokens per whitespace-separated word. */
const estimateTokens = (text: string) => Math.floor(text.split(/\s+/).filter(Boolean).length * 1.4);

/** `installed`: a file is there (so being unusable is a fault to show), not just an image built without docs. */
type IndexState = { available: true; info: DocsIndexInfo } | { available: false; installed: boolean; reason: string };

/**
 * Answers Duo Chat's documentation tool from the local index. Without a usable index every search answers an
 * empty list (Rails then says it found no documentation): warned once at start-up and shown on readiness, as
 * `degraded` when an index file is there but unreadable (no file: an image built without documentation).
 */
@Injectable()
export class DocsSearchService implements OnModuleInit {
  private state: IndexState = { available: false, installed: false, reason: 'not opened yet' };
  private readonly logger: RootLogger;
  private versionMismatchLogged = false;
  private queryFailureLogged = false;
  private initialised = false;

  constructor(
    private readonly index: DocsIndex,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessRegistry,
    @Inject(ROOT_LOGGER) rootLogger: RootLogger,
  ) {
    this.logger = rootLogger.child({ logger: 'docs_search' });
  }

  onModuleInit(): void {
    // A hybrid app runs the init hooks again when it starts the gRPC microservice: open and warn only once.
    if (this.initialised) return;
    this.initialised = true;
    this.state = this.openIndex();
    this.readiness.register(() => this.readinessCheck());
  }

  async search(request: SearchRequestDto): Promise<SearchResult[]> {
    if (!this.state.available) return [];
    this.noteVersion(request.metadata.version, this.state.info.gitlab_version);
    const expression = matchExpression(request.payload.query);
    if (!expression) return [];
    let rows: IndexedSection[];
    try {
      rows = await this.index.find(expression, request.payload.page_size ?? DEFAULT_PAGE_SIZE);
    } catch (error) {
      // A file damaged after start-up: the chat goes on without documentation rather than failing.
      const level = this.queryFailureLogged ? 'debug' : 'warn';
      this.queryFailureLogged = true;
      this.logger[level]({ err: error }, 'Documentation search failed; answering with no results');
      return [];
    }
    return withinTokenBudget(rows.map((row) => this.toResult(row)));
  }

  private toResult(row: IndexedSection): SearchResult {
    return {
      id: row.path,
      content: row.content,
      metadata: {
        filename: row.path,
        title: row.title,
        heading: row.heading,
        anchor: row.anchor,
        md5sum: row.md5sum,
        source: row.path.replace(/^\//, ''),
        source_type: 'doc',
        source_url: sourceUrl(this.config.docsSearch.baseUrl, row.path, row.anchor),
      },
    };
  }

  private openIndex(): IndexState {
    const configured = this.config.docsSearch.indexPath;
    const path = isAbsolute(configured) ? configured : join(projectRoot(), configured);
    try {
      const info = this.index.open(path);
      this.logger.info(
        { index_path: path, gitlab_version: info.gitlab_version, sections: Number(info.sections) },
        `Documentation search ready: ${info.sections} sections of the GitLab ${info.gitlab_version} documentation`,
      );
      return { available: true, info };
    } catch (error) {
      const reason = error instanceof DocsIndexUnavailable ? error.message : String(error);
      this.logger.warn(
        { index_path: path, reason },
        `Documentation search is off (${reason}): POST /v1/search/gitlab-docs answers no results. Build an index with npm run docs:index (docs/install.md)`,
      );
      return { available: false, installed: existsSync(path), reason };
    }
  }

  private readinessCheck(): HealthIndicatorResult {
    if (!this.state.available) {
      const { installed, reason } = this.state;
      return { docs_search: { status: installed ? 'degraded' : 'up', available: false, reason } };
    }
    const { gitlab_version, sections, built_at } = this.state.info;
    return {
      docs_search: { status: 'up', available: true, gitlab_version, sections: Number(sections), built_at },
    };
  }

  /** Answered from the index whatever the asking GitLab's version; a different minor version is logged once. */
  private noteVersion(requested: string, indexed: string): void {
    if (this.versionMismatchLogged) return;
    const asked = minorVersion(requested);
    const have = minorVersion(indexed);
    if (!asked || !have || asked === have) return;
    this.versionMismatchLogged = true;
    this.logger.info(
      { requested_version: requested, index_version: indexed },
      `Documentation search: GitLab ${requested} asks, the index holds the ${indexed} documentation; answering from it`,
    );
  }
}

/** The first results whose estimates add up to at most {@link MAX_RESULT_TOKENS}. */
export function withinTokenBudget(results: SearchResult[]): SearchResult[] {
  let total = 0;
  const kept: SearchResult[] = [];
  for (const result of results) {
    total += estimateTokens(result.content);
    if (total > MAX_RESULT_TOKENS) break;
    kept.push(result);
  }
  return kept;
}

/** `/ci/runners/configure_runners.md#anchor` → `<base>ci/runners/configure_runners/#anchor`; index pages → their folder. */
export function sourceUrl(baseUrl: string, path: string, anchor: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const page = path
    .replace(/^\//, '')
    .replace(/(^|\/)_?index\.md$/, '$1')
    .replace(/\.md$/, '/');
  return `${base}${page}${anchor ? `#${anchor}` : ''}`;
}

/** `v17.9.2-ee` / `17.9.0-pre` → `17.9`; anything else (`master`, `unknown`) → undefined. */
function minorVersion(version: string): string | undefined {
  return /^v?(\d+\.\d+)(?:\.|$|-)/.exec(version.trim())?.[1];
}
