import {
  EndpointSnapshot,
  LatencyHistogram,
  latencyQuantile,
  mergeLatencies,
  ModelCallError,
  SLOT_MS,
  WINDOW_SLOTS,
} from '@app/models';
import { KeySourceView, WorkerStatus } from './worker-status';

export type Health = 'up' | 'failing' | 'down' | 'unknown';

/** A failed last call this recent marks a reachable endpoint as failing. */
const RECENT_FAILURE_MS = 60_000;

export interface SlotPoint {
  start: number;
  calls: number;
  errors: number;
  p95Ms?: number;
}

export interface EndpointView {
  provider: string;
  endpoint: string;
  model: string;
  health: Health;
  calls: number;
  errors: number;
  inFlight: number;
  p50Ms?: number;
  p95Ms?: number;
  firstTokenP50Ms?: number;
  firstTokenP95Ms?: number;
  outputTokensPerS: number;
  lastOutcome?: { at: number; ok: boolean; code?: string };
  trend: SlotPoint[];
}

export interface StatusView {
  generatedAt: number;
  version: string;
  workers: WorkerStatus[];
  inFlightRequests: number;
  modelStreams: number;
  workflowStreams: number;
  endpoints: EndpointView[];
  recentErrors: ModelCallError[];
  keySources: KeySourceView[];
}

/** Every worker's figures as one picture: endpoints merged by key, percentiles over the merged histograms. */
export function buildStatusView(
  workers: WorkerStatus[],
  probes: Map<string, boolean | undefined>,
  now = Date.now(),
): StatusView {
  const merged = new Map<string, EndpointSnapshot[]>();
  for (const worker of workers) {
    for (const endpoint of worker.models.endpoints) {
      const key = `${endpoint.provider} ${endpoint.endpoint} ${endpoint.model}`;
      merged.set(key, [...(merged.get(key) ?? []), endpoint]);
    }
  }
  const endpoints = [...merged.values()].map((parts) => endpointView(parts, probes.get(parts[0].endpoint), now));
  return {
    generatedAt: now,
    version: workers[0]?.version ?? 'unknown',
    workers: [...workers].sort((a, b) => a.workerId - b.workerId),
    inFlightRequests: sum(workers.map((worker) => worker.inFlightRequests)),
    modelStreams: sum(endpoints.map((endpoint) => endpoint.inFlight)),
    workflowStreams: sum(workers.map((worker) => worker.workflowStreams)),
    endpoints: endpoints.sort((a, b) => a.endpoint.localeCompare(b.endpoint) || a.model.localeCompare(b.model)),
    recentErrors: workers
      .flatMap((worker) => worker.models.recentErrors)
      .sort((a, b) => b.at - a.at)
      .slice(0, 20),
    keySources: workers[0]?.keySources ?? [],
  };
}

function endpointView(parts: EndpointSnapshot[], reachable: boolean | undefined, now: number): EndpointView {
  const latency: LatencyHistogram = {};
  const firstToken: LatencyHistogram = {};
  const oldest = now - (now % SLOT_MS) - (WINDOW_SLOTS - 1) * SLOT_MS;
  const trend = new Map<number, { calls: number; errors: number; latency: LatencyHistogram }>();
  let outputTokens = 0;
  for (const part of parts) {
    for (const slot of part.slots.filter((candidate) => candidate.start >= oldest)) {
      mergeLatencies(latency, slot.latencyMs);
      mergeLatencies(firstToken, slot.firstTokenMs);
      outputTokens += slot.outputTokens;
      const point = trend.get(slot.start) ?? { calls: 0, errors: 0, latency: {} };
      point.calls += slot.calls;
      point.errors += slot.errors;
      mergeLatencies(point.latency, slot.latencyMs);
      trend.set(slot.start, point);
    }
  }
  const lastOutcome = parts
    .map((part) => part.lastOutcome)
    .filter((outcome) => outcome !== undefined)
    .sort((a, b) => b.at - a.at)[0];
  const points: SlotPoint[] = [];
  for (let start = oldest; start <= now; start += SLOT_MS) {
    const point = trend.get(start);
    points.push({
      start,
      calls: point?.calls ?? 0,
      errors: point?.errors ?? 0,
      p95Ms: point ? latencyQuantile(point.latency, 0.95) : undefined,
    });
  }
  return {
    provider: parts[0].provider,
    endpoint: parts[0].endpoint,
    model: parts[0].model,
    health: healthOf(reachable, lastOutcome, now),
    calls: sum(points.map((point) => point.calls)),
    errors: sum(points.map((point) => point.errors)),
    inFlight: sum(parts.map((part) => part.inFlight)),
    p50Ms: latencyQuantile(latency, 0.5),
    p95Ms: latencyQuantile(latency, 0.95),
    firstTokenP50Ms: latencyQuantile(firstToken, 0.5),
    firstTokenP95Ms: latencyQuantile(firstToken, 0.95),
    outputTokensPerS: outputTokens / ((WINDOW_SLOTS * SLOT_MS) / 1000),
    lastOutcome,
    trend: points,
  };
}

/** The probe says whether it answers at all; the last call says whether it answers well. */
function healthOf(reachable: boolean | undefined, last: EndpointView['lastOutcome'], now: number): Health {
  if (reachable === false) return 'down';
  const recentFailure = last && !last.ok && now - last.at < RECENT_FAILURE_MS;
  if (recentFailure) return last.code === 'model_unreachable' && reachable === undefined ? 'down' : 'failing';
  if (reachable === true || last?.ok) return 'up';
  return 'unknown';
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
