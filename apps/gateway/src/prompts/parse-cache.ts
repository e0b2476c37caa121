import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FolderFile {
  /** Relative to the folder, with `/`. */
  path: string;
  text: string;
}

/** Bumped when what is cached changes shape, so an older gateway's cache is not read. */
const FORMAT = 1;

/**
 * Results of parsing the files of one folder, kept on disk between starts: one JSON file named by a hash of
 * every file's path and text, so any change to the folder (a definition or a partial it includes) starts a new
 * cache. Best effort: a cache that cannot be read or written is ignored, and everything is parsed again.
 */
export class ParseCache<T> {
  private readonly entries: Record<string, T>;
  private missed = false;
  /** Entries were read from disk. */
  readonly hit: boolean;

  private constructor(
    private readonly file: string | undefined,
    cached: Record<string, T> | undefined,
  ) {
    this.entries = cached ?? {};
    this.hit = cached !== undefined;
    this.missed = !this.hit;
  }

  /**
   * The cache of `files` in `dir`; none (everything parsed, nothing kept) when `dir` is undefined. `fresh`: what
   * is on disk is not read, and replaced on {@link save}.
   */
  static open<T>(dir: string | undefined, files: FolderFile[], fresh = false): ParseCache<T> {
    if (!dir) return new ParseCache<T>(undefined, undefined);
    const hash = createHash('sha256').update(`aigw-prompts ${FORMAT}\0`);
    for (const { path, text } of files) hash.update(`${path}\0${text}\0`);
    const file = join(dir, `aigw-prompts-${hash.digest('hex').slice(0, 32)}.json`);
    return new ParseCache<T>(file, fresh ? undefined : readJson<T>(file));
  }

  /** The cached result for `path`, or `parse()`'s (kept for {@link save}). */
  parsed(path: string, parse: () => T): T {
    const cached = this.entries[path];
    if (cached !== undefined) return cached;
    this.missed = true;
    return (this.entries[path] = parse());
  }

  /** Writes what was parsed, if anything was (write to a temporary file, then rename: readers never see half). */
  save(): void {
    if (!this.file || !this.missed) return;
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(this.entries));
      renameSync(temporary, this.file);
      this.missed = false;
    } catch {
      // A read-only or full disk: the next start parses again.
    }
  }
}

function readJson<T>(file: string): Record<string, T> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, T>)
      : undefined;
  } catch {
    return undefined;
  }
}
