import { BenchContext, completionTarget, directTarget, gatewayEnv, logFile } from '../bench-context';
import { HttpTarget, pacedLoad, postLoad } from '../http-load';
import {
  BenchGateway,
  samplePeakRss,
  startFloor,
  startGateway,
  startPortkey,
  startUpstream,
  Upstream,
} from '../processes';
import { percentile } from '../stats';
import { streamLoad } from '../stream-load';

const CHUNKS = 25;
const STREAM_MS = 5_000;
const GAP_MS = STREAM_MS / CHUNKS;
/** The streams of one run are opened over this long. */
const RAMP_MS = 4_000;
const LATENCY_RATE = 200;
const UPSTREAM_LATENCY_MS = 60;
const MiB = 2 ** 20;

export type PeerName = 'gateway' | 'floor' | 'portkey';

export interface PeerStreamRow {
  streams: number;
  errors: number;
  ttfbP99Ms: number;
  gapP99Ms: number;
  peakRssMb: number;
  cpuSeconds: number;
  /** Gateway CPU per relayed chunk: (CPU of the 25-chunk run − CPU of a 1-chunk run) / chunks beyond the first. */
  cpuMicrosPerChunk?: number;
}

export interface PeerRow {
  name: PeerName;
  readyMs: number;
  idleRssMb: number;
  rps: number;
  cpuMicrosPerRequest: number;
  throughputPeakRssMb: number;
  throughputErrors: number;
  directP50Ms: number;
  directP99Ms: number;
  addedP50Ms: number;
  addedP99Ms: number;
  streams: PeerStreamRow[];
}

interface Upstreams {
  /** 0 ms JSON answers; streams of 25 chunks over 5 s. */
  fast: Upstream;
  /** Streams of 1 chunk over 5 s: the per-request cost of a stream. */
  single: Upstream;
  /** 60 ms before every answer. */
  slow: Upstream;
}

/**
 * Issue 21's side-by-side run: the gateway, the floor (bench/floor-proxy.mts) and Portkey, one at a time on the
 * measured core, against the same model stand-ins on the other core: start-up, throughput (c=64), added latency
 * at 200 RPS over a direct call, and 2,000 / 5,000 concurrent 5-s streams.
 */
export async function peers(context: BenchContext): Promise<PeerRow[]> {
  const upstreams: Upstreams = {
    fast: await startUpstream({ BENCH_UPSTREAM_CHUNKS: String(CHUNKS), BENCH_UPSTREAM_STREAM_MS: String(STREAM_MS) }),
    single: await startUpstream({ BENCH_UPSTREAM_CHUNKS: '1', BENCH_UPSTREAM_STREAM_MS: String(STREAM_MS) }),
    slow: await startUpstream({ BENCH_UPSTREAM_LATENCY_MS: String(UPSTREAM_LATENCY_MS) }),
  };
  const only = process.env.BENCH_PEERS?.split(',') as PeerName[] | undefined;
  const names = only ?? (['gateway', 'floor', 'portkey'] as PeerName[]);
  const rows: PeerRow[] = [];
  try {
    for (const name of names) rows.push(await measurePeer(context, name, upstreams));
    return rows;
  } finally {
    await Promise.all(Object.values(upstreams).map((upstream) => upstream.stop()));
  }
}

async function measurePeer(context: BenchContext, name: PeerName, upstreams: Upstreams): Promise<PeerRow> {
  process.stdout.write(`  ${name}…\n`);
  const peer = await start(context, name);
  try {
    const readyMs = peer.readyMs;
    // Idle after the first request has loaded what a request needs.
    await postLoad(request(context, name, peer, upstreams.fast.url), { connections: 1, durationS: 1 });
    const idleRssMb = peer.rssBytes() / MiB;
    const throughput = await measureThroughput(context, request(context, name, peer, upstreams.fast.url), peer);
    const latency = await measureLatency(context, request(context, name, peer, upstreams.slow.url), upstreams.slow);
    const streams: PeerStreamRow[] = [];
    // The upstream connections and the stream path's code warmed as the throughput run warms the request path:
    // otherwise the 25-chunk run alone pays them and the 1-chunk run subtracted from it does not.
    const counts = context.plan.quick ? [200] : [2000, 5000];
    await measureStreams(request(context, name, peer, upstreams.single.url, true), peer, counts[0], 1);
    for (const count of counts) {
      const row = await measureStreams(request(context, name, peer, upstreams.fast.url, true), peer, count, CHUNKS);
      if (count === 2000 || context.plan.quick) {
        const single = await measureStreams(request(context, name, peer, upstreams.single.url, true), peer, count, 1);
        row.cpuMicrosPerChunk = ((row.cpuSeconds - single.cpuSeconds) * 1e6) / (count * (CHUNKS - 1));
      }
      streams.push(row);
    }
    return { name, readyMs, idleRssMb, ...throughput, ...latency, streams };
  } finally {
    await peer.stop();
  }
}

function start(context: BenchContext, name: PeerName): Promise<BenchGateway> {
  const log = logFile(context, `peer-${name}`);
  if (name === 'floor') return startFloor(context.gitlab.issuer, log, context.gatewayNodeArgs);
  if (name === 'portkey') return startPortkey(log, context.gatewayNodeArgs);
  return startGateway(gatewayEnv(context), log, context.gatewayNodeArgs);
}

/** The same completion for each: the CC body for the gateway and the floor, OpenAI's through Portkey. */
function request(context: BenchContext, name: PeerName, peer: BenchGateway, upstreamUrl: string, stream = false) {
  if (name !== 'portkey') return completionTarget(context, peer.baseUrl, upstreamUrl, stream);
  const direct = directTarget(upstreamUrl);
  return {
    url: `${peer.baseUrl}/v1/completions`,
    headers: { ...direct.headers, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamUrl },
    body: JSON.stringify({ ...JSON.parse(direct.body), stream }),
  } satisfies HttpTarget;
}

async function measureThroughput(context: BenchContext, target: HttpTarget, peer: BenchGateway) {
  const load = { connections: 64, durationS: context.plan.throughputRunS };
  // Measured at steady state: after 3 s of load a gateway still tiers up its code (the first 10-s run after a 3-s
  // warm-up used 693 µs per request, the next ones 510–551), so the warm-up is as long as the run, for every peer.
  await postLoad(target, { ...load, durationS: context.plan.throughputRunS });
  const cpuBefore = peer.cpuSeconds();
  const peakRss = samplePeakRss(peer);
  const result = await postLoad(target, load);
  return {
    rps: result.rps,
    cpuMicrosPerRequest: ((peer.cpuSeconds() - cpuBefore) * 1e6) / result.requests,
    throughputPeakRssMb: peakRss() / MiB,
    throughputErrors: result.errors,
  };
}

async function measureLatency(context: BenchContext, target: HttpTarget, upstream: Upstream) {
  const load = { rate: LATENCY_RATE, durationS: context.plan.latencyRunS };
  const direct = directTarget(upstream.url);
  const straight = await pacedLoad(direct, load);
  // Warmed right before it is measured: after the direct run's idle seconds the first second measures a resumption
  // (new upstream connections, a major GC), not the steady state.
  await pacedLoad(target, { ...load, durationS: context.plan.warmUpS });
  const through = await pacedLoad(target, load);
  const directP50Ms = percentile(straight.latenciesMs, 50);
  const directP99Ms = percentile(straight.latenciesMs, 99);
  return {
    directP50Ms,
    directP99Ms,
    addedP50Ms: percentile(through.latenciesMs, 50) - directP50Ms,
    addedP99Ms: percentile(through.latenciesMs, 99) - directP99Ms,
  };
}

async function measureStreams(
  target: HttpTarget,
  peer: BenchGateway,
  count: number,
  chunks: number,
): Promise<PeerStreamRow> {
  const cpuBefore = peer.cpuSeconds();
  const peakRss = samplePeakRss(peer);
  const result = await streamLoad(target, { count, rampMs: RAMP_MS, chunks, timeoutMs: STREAM_MS * 4 });
  return {
    streams: count,
    errors: result.errors,
    ttfbP99Ms: percentile(result.ttfbMs, 99),
    gapP99Ms: chunks > 1 ? percentile(result.gapsMs, 99) : GAP_MS,
    peakRssMb: peakRss() / MiB,
    cpuSeconds: peer.cpuSeconds() - cpuBefore,
  };
}
