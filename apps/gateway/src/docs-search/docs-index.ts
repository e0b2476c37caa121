import { statSync } from 'node:fs';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DOCS_INDEX_SCHEMA_VERSION, DocsIndexInfo, SEARCH_SECTIONS } from './docs-index-schema';

/** One row of the index, best match first. */
export interface IndexedSection {
  path: string;
  anchor: string;
  title: string;
  heading: string;
  content: string;
  md5sum: string;
}

/** Why the index cannot be used; the message is meant for the operator's log. */
export class DocsIndexUnavailable extends Error {
  override readonly name = 'DocsIndexUnavailable';
}

/**
 * The documentation index file (SQLite through Node's built-in `node:sqlite`), opened read-only. Opening maps
 * the file, it does not load it: a 100 MB index opens in well under a millisecond and costs a few MB of memory.
 * Queries are synchronous and take about a millisecond (see `npm run bench`, scenario `docs`).
 */
@Injectable()
export class DocsIndex implements OnModuleDestroy {
  private database?: DatabaseSync;
  private search?: StatementSync;

  /** Opens `path` and checks it is an index this gateway can read; throws {@link DocsIndexUnavailable}. */
  open(path: string): DocsIndexInfo {
    this.close();
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new DocsIndexUnavailable(`no index file at ${path}`);
    if (!stat.isFile()) throw new DocsIndexUnavailable(`${path} is not a file`);
    let database: DatabaseSync | undefined;
    try {
      database = new DatabaseSync(path, { readOnly: true });
      const info = readInfo(database);
      if (info.schema_version !== DOCS_INDEX_SCHEMA_VERSION) {
        throw new DocsIndexUnavailable(
          `${path} has index schema ${info.schema_version}, this gateway reads ${DOCS_INDEX_SCHEMA_VERSION}: rebuild it with npm run docs:index`,
        );
      }
      this.search = database.prepare(SEARCH_SECTIONS);
      this.database = database;
      return info;
    } catch (error) {
      database?.close();
      if (error instanceof DocsIndexUnavailable) throw error;
      throw new DocsIndexUnavailable(`${path} is not a readable documentation index (${(error as Error).message})`);
    }
  }

  /** The best `limit` sections for an FTS5 `MATCH` expression. Throws when the file fails under it. */
  find(expression: string, limit: number): IndexedSection[] {
    if (!this.search) return [];
    return this.search.all(expression, limit) as unknown as IndexedSection[];
  }

  close(): void {
    this.search = undefined;
    if (this.database?.isOpen) this.database.close();
    this.database = undefined;
  }

  onModuleDestroy(): void {
    this.close();
  }
}

function readInfo(database: DatabaseSync): DocsIndexInfo {
  const rows = database.prepare('SELECT key, value FROM index_info').all() as Array<{ key: string; value: string }>;
  const info = Object.fromEntries(rows.map((row) => [row.key, row.value])) as Partial<DocsIndexInfo>;
  return {
    schema_version: info.schema_version ?? 'none',
    gitlab_version: info.gitlab_version ?? 'unknown',
    built_at: info.built_at ?? 'unknown',
    pages: info.pages ?? '0',
    sections: info.sections ?? '0',
  };
}
