import cluster from 'node:cluster';
import { ModelStatsSnapshot } from '@app/models';

export interface KeySourceView {
  origin: string;
  reachable: boolean;
  keys: number;
  fetchedAt?: string;
  error?: string;
}

/** What one process reports to the status page; plain data, so it crosses the cluster IPC channel as is. */
export interface WorkerStatus {
  workerId: number;
  pid: number;
  version: string;
  uptimeS: number;
  rssBytes: number;
  heapUsedBytes: number;
  inFlightRequests: number;
  workflowStreams: number;
  models: ModelStatsSnapshot;
  keySources: KeySourceView[];
}

export type WorkerStatusSource = () => Promise<WorkerStatus>;

const REQUEST = 'aigw:status-request';
const REPLY = 'aigw:status-reply';

interface StatusRequest {
  type: typeof REQUEST;
  id: number;
}
interface StatusReply {
  type: typeof REPLY;
  id: number;
  status: WorkerStatus;
}

/** A cluster worker answers the primary's status requests (the primary serves the status page). */
export function answerStatusRequests(source: WorkerStatusSource): void {
  if (!cluster.isWorker) return;
  process.on('message', (message: StatusRequest) => {
    if (message?.type !== REQUEST) return;
    source().then(
      (status) => process.send?.({ type: REPLY, id: message.id, status } satisfies StatusReply),
      () => undefined,
    );
  });
}

let nextId = 0;

/** The primary asks every live worker; workers that do not answer within `timeoutMs` are left out. */
export function gatherWorkerStatuses(timeoutMs = 1000): Promise<WorkerStatus[]> {
  const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker?.isConnected());
  const id = (nextId += 1);
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise<WorkerStatus | undefined>((resolve) => {
          const timer = setTimeout(() => finish(undefined), timeoutMs);
          const onMessage = (message: StatusReply) => {
            if (message?.type === REPLY && message.id === id) finish(message.status);
          };
          const finish = (status: WorkerStatus | undefined) => {
            clearTimeout(timer);
            worker!.off('message', onMessage);
            resolve(status);
          };
          worker!.on('message', onMessage);
          worker!.send({ type: REQUEST, id } satisfies StatusRequest);
        }),
    ),
  ).then((statuses) => statuses.filter((status): status is WorkerStatus => status !== undefined));
}
