import cluster from 'node:cluster';
import { Server } from 'node:http';
import { ModelEndpointStats } from '@app/models';
import { StreamAdmission } from '../agent-platform/stream-admission';
import { ReadinessRegistry } from '../health/readiness-registry';
import { gatewayVersion } from '../version';
import { KeySourceView, WorkerStatus, WorkerStatusSource } from './worker-status';

export interface WorkerStatusParts {
  httpServer: Server;
  stats: ModelEndpointStats;
  readiness: ReadinessRegistry;
  streams: StreamAdmission;
}

/**
 * This process's figures for the status page. Turns on what only the page needs (per-endpoint model stats,
 * the in-flight request count), so a gateway without an admin token pays nothing for it.
 */
export function workerStatusSource(parts: WorkerStatusParts): WorkerStatusSource {
  parts.stats.enable();
  let inFlight = 0;
  parts.httpServer.on('request', (_request, response) => {
    inFlight += 1;
    response.once('close', () => (inFlight -= 1));
  });
  return async (): Promise<WorkerStatus> => {
    const memory = process.memoryUsage();
    return {
      workerId: cluster.worker?.id ?? 0,
      pid: process.pid,
      version: gatewayVersion(),
      uptimeS: process.uptime(),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      inFlightRequests: inFlight,
      workflowStreams: parts.streams.openStreams,
      models: parts.stats.snapshot(),
      keySources: await keySources(parts.readiness),
    };
  };
}

async function keySources(readiness: ReadinessRegistry): Promise<KeySourceView[]> {
  const results = await Promise.all(readiness.all().map((check) => Promise.resolve(check()).catch(() => ({}))));
  const entry = results.find((result) => 'auth_key_sources' in result) as
    { auth_key_sources: { sources?: KeySourceView[] } } | undefined;
  return entry?.auth_key_sources.sources ?? [];
}
