import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { copyOf, instructionsOf, REPO_ROOT, Stage } from './dockerfile';
import { LOOPBACK_ENV } from './loopback-env';

export const NOBODY = 65534;
const SETPRIV = '/usr/bin/setpriv';
/** As root, the installed gateway runs as nobody (the image runs as a non-root user too). */
export const runAsNobody = process.getuid?.() === 0 && existsSync(SETPRIV);

export interface Listening {
  http_port: number;
  grpc_port: number;
  metrics_port: number;
}

/**
 * Repeats the Dockerfile's production stage without Docker: its COPY lines into a temp dir (build output from this
 * checkout's dist/ and packages/*\/dist, which `npm test` has just built; the docs-index stage's output from
 * `docsIndexDir`, left out without it), and its `npm ci`. Returns the temp dir, the image's /app.
 */
export async function installProductionStage(stages: Stage[], docsIndexDir?: string): Promise<string> {
  const production = stages.at(-1)!;
  const appDir = mkdtempSync(join(tmpdir(), 'aigw-production-'));
  chmodSync(appDir, 0o755);
  for (const instruction of production.instructions) {
    if (instruction.keyword === 'COPY') copyInto(stages, appDir, copyOf(instruction), docsIndexDir);
    if (instruction.keyword === 'RUN' && instruction.args.startsWith('npm ci')) {
      await npm(appDir, instruction.args.split('&&')[0].trim().split(' ').slice(1));
    }
  }
  return appDir;
}

/** From the context, from the build stage (= this checkout after `npm run build`), or from the docs-index run. */
function copyInto(stages: Stage[], root: string, copy: ReturnType<typeof copyOf>, docsIndexDir?: string): void {
  if (copy.from === 'docs-index' && !docsIndexDir) return;
  const buildStage = stages.find((stage) => stage.name === copy.from);
  const buildDir = buildStage ? instructionsOf(buildStage, 'WORKDIR').at(-1)!.args : '';
  const stageRoot = copy.from === 'docs-index' ? docsIndexDir! : REPO_ROOT;
  for (const source of copy.sources) {
    const fromRepo = buildStage ? posix.relative(buildDir, source) : source;
    const destination = join(
      root,
      copy.sources.length > 1 || copy.destination.endsWith('/')
        ? join(copy.destination, basename(source))
        : copy.destination,
    );
    mkdirSync(dirname(destination), { recursive: true });
    cpSync(join(stageRoot, fromRepo), destination, { recursive: true });
  }
}

/** `npm <args>` in `cwd`, from the local cache where it can (`--prefer-offline`); stdout on success. */
export async function npm(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('npm', [...args, '--prefer-offline'], {
      cwd,
      env: process.env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    const reasons = stderr.split('\n').filter((line) => /npm error (code|`npm ci`|Missing|[A-Z]{2,})/.test(line));
    throw new Error(`\`npm ${args.join(' ')}\` failed:\n${reasons.slice(0, 12).join('\n')}`);
  }
}

/** The installed gateway as a process, with ephemeral loopback ports; `extraEnv` wins. */
export function startInstalledGateway(cwd: string, args: string[], extraEnv: Record<string, string> = {}) {
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HF_HOME: join(cwd, '.hf'),
    ...LOOPBACK_ENV,
    AIGW_SHUTDOWN_GRACE_PERIOD_S: '5',
    ...extraEnv,
  };
  const child: ChildProcess = runAsNobody
    ? spawn(SETPRIV, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, ...args], {
        cwd,
        env,
      })
    : spawn(process.execPath, args, { cwd, env });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  const lines = createInterface({ input: child.stdout! });
  const seen: string[] = [];
  lines.on('line', (line) => seen.push(line));
  const listening = new Promise<Listening>((resolve, reject) => {
    lines.on('line', (line) => {
      const entry = parseJson(line);
      if (typeof entry?.http_port === 'number') resolve(entry as unknown as Listening);
    });
    void exited.then(({ code }) => reject(new Error(`gateway exited with ${code} before listening:\n${stderr}`)));
  });
  listening.catch(() => undefined);
  /** The first stdout line matching `pattern`, printed already or still to come. */
  const waitForLine = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const printed = seen.find((line) => pattern.test(line));
      if (printed !== undefined) return resolve(printed);
      lines.on('line', (line) => pattern.test(line) && resolve(line));
      void exited.then(({ code }) => reject(new Error(`gateway exited with ${code}:\n${stderr}`)));
    });
  return { child, listening, exited, waitForLine, stderr: () => stderr };
}

export function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

export function uidOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}
