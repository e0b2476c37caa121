import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../apps/gateway/src/cluster/free-port';

const ROOT = join(__dirname, '..');
const MAIN_JS = join(ROOT, 'dist/apps/gateway/main.js');
const CLOCK_TICKS_PER_S = 100;
const READY_TIMEOUT_MS = 30_000;

export interface BenchProcess {
  pid: number;
  /** User + system CPU seconds of the process and its children (cluster workers) so far. */
  cpuSeconds(): number;
  /** Resident memory of the process and its children now. */
  rssBytes(): number;
  stop(): Promise<void>;
}

export interface Upstream extends BenchProcess {
  /** `http://127.0.0.1:<port>/v1` */
  url: string;
}

export interface BenchGateway extends BenchProcess {
  baseUrl: string;
  grpcAddress: string;
  /** From spawn to the first `/monitoring/ready` 200. */
  readyMs: number;
}

/** The stand-in model server (bench/upstream.ts) in its own process. */
export async function startUpstream(env: Record<string, string> = {}): Promise<Upstream> {
  const child = spawn(process.execPath, ['-r', join(__dirname, 'ts-register.js'), join(__dirname, 'upstream.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout! }), 'line'),
    once(child, 'exit').then(() => Promise.reject(new Error('bench upstream exited before listening'))),
  ])) as [string];
  return { ...watch(child), url: `http://127.0.0.1:${JSON.parse(line).port}/v1` };
}

/**
 * The built gateway (`dist/apps/gateway/main.js`) on free loopback ports, logging at the production default
 * (info) into `logFile`, as a container would into its log pipe.
 */
export async function startGateway(
  env: Record<string, string>,
  logFile: string,
  nodeArgs: string[] = [],
): Promise<BenchGateway> {
  const [httpPort, grpcPort, metricsPort] = [
    await freePort('127.0.0.1'),
    await freePort('127.0.0.1'),
    await freePort('127.0.0.1'),
  ];
  const log = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, MAIN_JS], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      AIGW_FASTAPI__API_HOST: '127.0.0.1',
      AIGW_FASTAPI__API_PORT: String(httpPort),
      AIGW_FASTAPI__METRICS_HOST: '127.0.0.1',
      AIGW_FASTAPI__METRICS_PORT: String(metricsPort),
      AIGW_AGENT_PLATFORM__HOST: '127.0.0.1',
      AIGW_AGENT_PLATFORM__PORT: String(grpcPort),
      AIGW_CUSTOMER_PORTAL_URL: '',
      DUO_WORKFLOW_AUTH__OIDC_CUSTOMER_PORTAL_URL: '',
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  await untilReady(`${baseUrl}/monitoring/ready`, child);
  return { ...watch(child), baseUrl, grpcAddress: `127.0.0.1:${grpcPort}`, readyMs: performance.now() - started };
}

async function untilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}; see its log`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(5);
  }
  throw new Error(`gateway not ready within ${READY_TIMEOUT_MS} ms`);
}

function watch(child: ChildProcess): BenchProcess {
  const pid = child.pid!;
  const exited = once(child, 'exit');
  return {
    pid,
    cpuSeconds: () => tree(pid).reduce((sum, each) => sum + cpuSecondsOf(each), 0),
    rssBytes: () => tree(pid).reduce((sum, each) => sum + rssBytesOf(each), 0),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function tree(pid: number): number[] {
  const children = readProc(`${pid}/task/${pid}/children`).trim();
  return [pid, ...(children ? children.split(' ').flatMap((child) => tree(Number(child))) : [])];
}

function cpuSecondsOf(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of /proc/<pid>/stat.
  const fields = readProc(`${pid}/stat`).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / CLOCK_TICKS_PER_S;
}

function rssBytesOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readProc(`${pid}/status`))?.[1] ?? 0) * 1024;
}

/** A process may exit between listing and reading; it then counts as nothing. */
function readProc(path: string): string {
  try {
    return readFileSync(`/proc/${path}`, 'utf8');
  } catch {
    return '';
  }
}

/** Samples `rssBytes` until stopped; resolves the peak. */
export function samplePeakRss(target: BenchProcess, intervalMs = 100): () => number {
  let peak = target.rssBytes();
  const timer = setInterval(() => (peak = Math.max(peak, target.rssBytes())), intervalMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, target.rssBytes());
  };
}
