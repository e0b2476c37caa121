import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = join(__dirname, '../..');

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
}

export interface Stage {
  name?: string;
  base: string;
  instructions: Instruction[];
}

/** The stages of `deploy/Dockerfile`, enough to check it and to repeat what its production stage does. */
export function readDockerfile(path = join(REPO_ROOT, 'deploy/Dockerfile')): Stage[] {
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, base, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ base, name, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') });
    }
  }
  return stages;
}

export const instructionsOf = (stage: Stage, keyword: string) =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword);

/** `COPY [--from=stage] <sources…> <destination>` */
export function copyOf(instruction: Instruction): { from?: string; sources: string[]; destination: string } {
  const words = instruction.args.split(' ');
  const from = words[0].startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
  const destination = words.pop()!;
  return { from, sources: words, destination };
}

/**
 * Runs the `docs-index` stage without Docker: its COPY from the build stage out of this checkout's dist/ (built by
 * `npm test`), then its RUN script in a temp dir standing for its WORKDIR, the build context bind-mounted at
 * `/context` being this checkout. `args` are its build args. Returns the temp dir.
 */
export async function runDocsIndexStage(stages: Stage[], args: Record<string, string>): Promise<string> {
  const stage = stages.find((candidate) => candidate.name === 'docs-index');
  if (!stage) throw new Error('deploy/Dockerfile has no docs-index stage');
  const dir = mkdtempSync(join(tmpdir(), 'aigw-docs-index-'));
  for (const copy of instructionsOf(stage, 'COPY').map(copyOf)) {
    const from = stages.find((candidate) => candidate.name === copy.from)!;
    const fromDir = instructionsOf(from, 'WORKDIR').at(-1)!.args;
    for (const source of copy.sources) {
      const destination = join(dir, copy.destination);
      mkdirSync(dirname(destination), { recursive: true });
      cpSync(join(REPO_ROOT, posix.relative(fromDir, source)), destination, { recursive: true });
    }
  }
  const [run] = instructionsOf(stage, 'RUN');
  const script = run.args.replace(/^--mount=\S+\s+/, '').replaceAll('/context', REPO_ROOT);
  await promisify(execFile)('sh', ['-c', script], { cwd: dir, env: { ...process.env, ...args } });
  return dir;
}
