import { readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CREATE_DOCS_INDEX, DOCS_INDEX_SCHEMA_VERSION, DocsIndexInfo, INSERT_SECTION } from './docs-index-schema';
import { DocPage, parsePage } from './markdown-page';

export interface BuildOptions {
  /** GitLab's `doc/` folder (or any tree of Markdown pages laid out the same way). */
  docRoot: string;
  out: string;
  /** Recorded in the index; defaults to the `VERSION` file beside the `doc/` folder, else `unknown`. */
  gitlabVersion?: string;
}

export interface BuildResult {
  out: string;
  pages: number;
  sections: number;
  gitlabVersion: string;
}

/**
 * Builds the documentation index: every `*.md` page below `docRoot`, split into sections by heading, into one
 * SQLite file. Written beside `out` and renamed over it at the end, so a gateway never sees a half-built index.
 */
export function buildDocsIndex(options: BuildOptions): BuildResult {
  if (!statSync(options.docRoot, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${options.docRoot} is not a folder`);
  }
  const files = markdownFiles(options.docRoot);
  if (files.length === 0) throw new Error(`${options.docRoot} holds no Markdown pages (*.md)`);
  const gitlabVersion = options.gitlabVersion?.trim() || versionBeside(options.docRoot) || 'unknown';
  const partial = `${options.out}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const database = new DatabaseSync(partial);
  try {
    const sections = writeIndex(database, files, options.docRoot);
    const info: DocsIndexInfo = {
      schema_version: DOCS_INDEX_SCHEMA_VERSION,
      gitlab_version: gitlabVersion,
      built_at: new Date().toISOString(),
      pages: String(files.length),
      sections: String(sections),
    };
    const insertInfo = database.prepare('INSERT INTO index_info (key, value) VALUES (?, ?)');
    for (const [key, value] of Object.entries(info)) insertInfo.run(key, value);
    database.exec("INSERT INTO sections (sections) VALUES ('optimize'); VACUUM;");
    database.close();
    renameSync(partial, options.out);
    return { out: options.out, pages: files.length, sections, gitlabVersion };
  } catch (error) {
    if (database.isOpen) database.close();
    rmSync(partial, { force: true });
    throw error;
  }
}

function writeIndex(database: DatabaseSync, files: string[], docRoot: string): number {
  database.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;');
  for (const statement of CREATE_DOCS_INDEX) database.exec(statement);
  const insert = database.prepare(INSERT_SECTION);
  let count = 0;
  database.exec('BEGIN');
  for (const file of files) {
    const page = parsePage(pagePath(docRoot, file), readFileSync(file, 'utf8'));
    count += insertPage(insert, page);
  }
  database.exec('COMMIT');
  return count;
}

function insertPage(insert: ReturnType<DatabaseSync['prepare']>, page: DocPage): number {
  for (const section of page.sections) {
    // The page title is its own column; the trail under it says where in the page a section sits.
    const headings = section.anchor === '' ? '' : section.trail.join(' ');
    insert.run(
      page.title,
      headings,
      section.text,
      page.path,
      section.anchor,
      section.heading,
      section.content,
      page.md5sum,
    );
  }
  return page.sections.length;
}

/** `*.md` files below `root`, sorted; dot folders (`.vale`, `.markdownlint`) skipped. */
function markdownFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(path);
    }
  };
  visit(root);
  return found;
}

/** `/user/project/index.md`, with forward slashes on every platform. */
const pagePath = (root: string, file: string) => `/${relative(root, file).split(sep).join('/')}`;

/** GitLab's repository keeps its version in `VERSION` beside `doc/`. */
function versionBeside(docRoot: string): string | undefined {
  try {
    return readFileSync(join(dirname(docRoot), 'VERSION'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
