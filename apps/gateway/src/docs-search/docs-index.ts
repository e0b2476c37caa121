import { statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
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
 * Runs the queries in a worker thread. `node:sqlite` is synchronous and a bm25 ranking takes milliseconds — tens
 * of them for questions made of the corpus's most common words — which on the event loop would stall every
 * stream the process relays.
 */
const QUERY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const database = new DatabaseSync(workerData.path, { readOnly: true });
const search = database.prepare(workerData.sql);
parentPort.on('message', ({ id, expression, limit }) => {
  try {
    parentPort.postMessage({ id, rows: search.all(expression, limit) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Pending {
  resolve(rows: IndexedSection[]): void;
  reject(error: Error): void;
}

/**
 * The documentation index file (SQLite through Node's built-in `node:sqlite`), opened read-only. Opening maps
 * the file, it does not load it: a 100 MB index opens in well under a millisecond and costs a few MB of memory.
 * Searches run on one worker thread, started with the first one (see `npm run bench`, scenario `docs`).
 */
@Injectable()
export class DocsIndex implements OnModuleDestroy {
  private path?: string;
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

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
      database.prepare(SEARCH_SECTIONS);
      this.path = path;
      return info;
    } catch (error) {
      if (error instanceof DocsIndexUnavailable) throw error;
      throw new DocsIndexUnavailable(`${path} is not a readable documentation index (${(error as Error).message})`);
    } finally {
      database?.close();
    }
  }

  /** The best `limit` sections for an FTS5 `MATCH` expression. Rejects when the file fails under it. */
  find(expression: string, limit: number): Promise<IndexedSection[]> {
    if (!this.path) return Promise.resolve([]);
    const worker = (this.worker ??= this.startWorker(this.path));
    const id = this.nextId++;
    return new Promise<IndexedSection[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, expression, limit });
    });
  }

  close(): void {
    this.path = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
    this.failPending(new Error('the documentation index was closed'));
  }

  onModuleDestroy(): void {
    this.close();
  }

  private startWorker(path: string): Worker {
    const worker = new Worker(QUERY_WORKER, { eval: true, workerData: { path, sql: SEARCH_SECTIONS } });
    worker.unref();
    worker.on('message', ({ id, rows, error }: { id: number; rows?: IndexedSection[]; error?: string }) => {
      const pending = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined) pending?.reject(new Error(error));
      else pending?.resolve(rows ?? []);
    });
    // A worker that dies (the file vanished under it…) fails what it had; the next search starts a new one.
    const lost = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.failPending(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the documentation search worker exited (${code})`)));
    return worker;
  }

  private failPending(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
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
