import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../apps/gateway/src/cluster/free-port';

const ROOT = join(__dirname, '..');
const MAIN_JS = join(ROOT, 'dist/apps/gateway/main.js');
const CLOCK_TICKS_PER_S = 100;
const READY_TIMEOUT_MS = 30_000;

/**
 * Core layout on a 2-core machine (`BENCH_PIN=0` turns it off): the measured process (gateway, floor or peer) on
 * core 0, the bench itself (the load generator) and the model stand-in on core 1.
 */
const PINNING = process.env.BENCH_PIN !== '0' && cpus().length >= 2;
export const MEASURED_CORE = '0';
const LOAD_CORE = '1';

/** Pins this process (the load generator), and so the stand-ins it spawns, to the load core. */
export function pinLoadGenerator(): string {
  if (!PINNING) return 'not pinned (BENCH_PIN=0 or one core)';
  execFileSync('taskset', ['-pc', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });
  return `measured process on core ${MEASURED_CORE}; load generator and model stand-in on core ${LOAD_CORE}`;
}

/** `node <args>` on `cores` (taskset execs node, so the child's pid is node's). */
function spawnNode(args: string[], cores: string, options: Parameters<typeof spawn>[2]): ChildProcess {
  return PINNING
    ? spawn('taskset', ['-c', cores, process.execPath, ...args], options)
    : spawn(process.execPath, args, options);
}

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
  cores = MEASURED_CORE,
): Promise<BenchGateway> {
  const [httpPort, grpcPort, metricsPort] = [
    await freePort('127.0.0.1'),
    await freePort('127.0.0.1'),
    await freePort('127.0.0.1'),
  ];
  const log = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawnNode([...nodeArgs, MAIN_JS], cores, {
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

/** The floor reference (bench/floor-proxy.mts) on the measured core, checking tokens of `issuer`. */
export async function startFloor(issuer: string, logFile: string, nodeArgs: string[] = []): Promise<BenchGateway> {
  const port = await freePort('127.0.0.1');
  const log = openSync(logFile, 'a');
  const started = performance.now();
  // Node 24 strips the types itself: no transpiler in the floor's memory and start-up.
  if (!process.features.typescript) throw new Error(`the floor needs Node 24 (this is ${process.version})`);
  const args = [...nodeArgs, join(__dirname, 'floor-proxy.mts')];
  const child = spawnNode(args, MEASURED_CORE, {
    env: { PATH: process.env.PATH, BENCH_FLOOR_ISSUER: issuer, BENCH_FLOOR_PORT: String(port) },
    stdio: ['ignore', 'ignore', log],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await untilReady(`${baseUrl}/monitoring/ready`, child);
  return { ...watch(child), baseUrl, grpcAddress: '', readyMs: performance.now() - started };
}

export const PORTKEY_VERSION = '1.15.2';
/** The versions of Portkey's own lockfile: a newer `@hono/node-server` makes its streams fail. */
const PORTKEY_OVERRIDES = { hono: '4.9.7', '@hono/node-server': '1.13.5', '@hono/node-ws': '1.2.0' };

/**
 * The peer: `@portkey-ai/gateway` installed once into a temporary folder (npm, install scripts off) and started
 * `--headless` on the measured core. It checks no token: its figures carry no authentication cost.
 */
export async function startPortkey(logFile: string, nodeArgs: string[] = []): Promise<BenchGateway> {
  const folder = join(tmpdir(), `aigw-bench-portkey-${PORTKEY_VERSION}`);
  const server = join(folder, 'node_modules/@portkey-ai/gateway/build/start-server.js');
  if (!existsSync(server)) {
    mkdirSync(folder, { recursive: true });
    const manifest = {
      name: 'aigw-bench-portkey',
      private: true,
      dependencies: { '@portkey-ai/gateway': PORTKEY_VERSION },
      overrides: PORTKEY_OVERRIDES,
    };
    writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
    const npm = join(dirname(process.execPath), 'npm');
    execFileSync(existsSync(npm) ? npm : 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: folder,
      stdio: 'ignore',
    });
  }
  const port = await freePort('127.0.0.1');
  const log = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawnNode([...nodeArgs, server, '--headless', `--port=${port}`], MEASURED_CORE, {
    cwd: folder,
    env: { PATH: process.env.PATH },
    stdio: ['ignore', log, log],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await untilReady(baseUrl, child, () => true);
  return { ...watch(child), baseUrl, grpcAddress: '', readyMs: performance.now() - started };
}

/** Polls `url` until it answers (200, or any status `accepts`). */
async function untilReady(url: string, child: ChildProcess, accepts = (status: number): boolean => status === 200) {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}; see its log`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status !== 0 && accepts(status)) return;
    await sleep(5);
  }
  throw new Error(`${url} not ready within ${READY_TIMEOUT_MS} ms`);
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
