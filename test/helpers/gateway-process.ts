import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_ENV } from './gateway';

export const MAIN_JS = join(__dirname, '../../dist/apps/gateway/main.js');

export interface GatewayProcess {
  child: ChildProcess;
  httpPort: number;
  grpcPort: number;
  metricsPort: number;
  /** Every JSON log line printed so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line (already seen or future) that matches. */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills whatever a failed test left running (use in `afterEach`). */
export function killSpawnedGateways(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Spawns the built entry point (`npm test` builds first) with test ports and the given variables. */
export function spawnGateway(
  env: Record<string, string> = {},
  cwd?: string,
  mainJs = MAIN_JS,
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [mainJs], {
    cwd,
    env: { PATH: process.env.PATH, ...TEST_ENV, AIGW_LOGGING__LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    predicate: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }> = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text);
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of waiters.filter((candidate) => candidate.predicate(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waitForLog = (predicate: (line: Record<string, unknown>) => boolean) => {
    const seen = logs.find(predicate);
    return seen
      ? Promise.resolve(seen)
      : new Promise<Record<string, unknown>>((resolve) => waiters.push({ predicate, resolve }));
  };
  const listening = waitForLog((line) => typeof line.http_port === 'number');
  return Promise.race([
    listening.then((line) => ({
      child,
      httpPort: line.http_port as number,
      grpcPort: line.grpc_port as number,
      metricsPort: line.metrics_port as number,
      logs,
      waitForLog,
      exited,
    })),
    exited.then((code) => Promise.reject(new Error(`gateway exited with ${code} before listening`))),
  ]);
}

/** Collects stdout and stderr of a process expected to stop on its own. */
export async function runToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [MAIN_JS], { env: { PATH: process.env.PATH, ...TEST_ENV, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stderr, stdout };
}
