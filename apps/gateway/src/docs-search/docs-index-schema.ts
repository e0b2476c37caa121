/**
 * The on-disk documentation index: one SQLite file, written by `npm run docs:index` and read by the gateway.
 * `sections` is an FTS5 table ranked with `bm25` (the engine upstream uses); `index_info` says what was indexed.
 * Bump {@link DOCS_INDEX_SCHEMA_VERSION} on any change here: the gateway refuses a file of another version.
 */
export const DOCS_INDEX_SCHEMA_VERSION = '1';

/** Porter stemming over Unicode words, diacritics folded: "rotating" finds "rotate", "résumé" finds "resume". */
const TOKENIZER = 'porter unicode61 remove_diacritics 2';

export const CREATE_DOCS_INDEX = [
  'CREATE TABLE index_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT',
  `CREATE VIRTUAL TABLE sections USING fts5(
     title, headings, body,
     path UNINDEXED, anchor UNINDEXED, heading UNINDEXED, content UNINDEXED, md5sum UNINDEXED,
     tokenize = '${TOKENIZER}'
   )`,
];

export const INSERT_SECTION = `INSERT INTO sections (title, headings, body, path, anchor, heading, content, md5sum)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Column weights: a word in the page title or a heading says far more about what a section is for than the same
 * word in running text (titles are written as the task: "Rotate a runner authentication token").
 */
export const SEARCH_SECTIONS = `SELECT path, anchor, title, heading, content, md5sum FROM sections
  WHERE sections MATCH ? ORDER BY bm25(sections, 6.0, 4.0, 1.0) LIMIT ?`;

/** Keys of `index_info`. */
export interface DocsIndexInfo {
  schema_version: string;
  /** The GitLab version (or ref) whose `doc/` tree was indexed; `unknown` when not given. */
  gitlab_version: string;
  built_at: string;
  pages: string;
  sections: string;
}
