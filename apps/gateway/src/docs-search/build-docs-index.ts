import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDocsIndex } from './docs-index-builder';

const USAGE = `Usage: npm run docs:index -- <GitLab doc/ folder> [--out <file>] [--gitlab-version <version>]

Builds the documentation search index (SQLite FTS5) the gateway answers POST /v1/search/gitlab-docs from.
  --out             index file to write (default: data/gitlab-docs.db, the gateway's default
                    AIGW_DOCS_SEARCH__INDEX_PATH)
  --gitlab-version  GitLab version the pages belong to (default: the VERSION file beside doc/, else "unknown")`;

/** `npm run docs:index`: only Node built-ins, so the image's build stage runs the bundle without node_modules. */
function main(argv: string[]): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`Expected one documentation folder, got ${positionals.length}.\n\n${USAGE}\n`);
    return 2;
  }
  const out = resolve(values.out ?? 'data/gitlab-docs.db');
  const started = performance.now();
  try {
    mkdirSync(dirname(out), { recursive: true });
    const result = buildDocsIndex({ docRoot: resolve(positionals[0]), out, gitlabVersion: values['gitlab-version'] });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Indexed ${result.pages} pages, ${result.sections} sections (GitLab ${result.gitlabVersion}) into ${out} in ${seconds} s\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`docs:index failed: ${(error as Error).message}\n`);
    return 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      'gitlab-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

process.exitCode = main(process.argv.slice(2));
