import { Client, Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { bodyLimitOf } from '../../apps/gateway/src/http/route-body-limits';
import { duoWorkflowClient } from '../helpers/grpc-clients';
import { allowed5xx, allowedGrpcFailure } from './contract-errors';
import { httpCorpus, SeedRequest } from './http-corpus';
import { mutateBytes, mutateJson } from './mutations';
import { Random } from '../helpers/random';

export interface FuzzTarget {
  baseUrl: string;
  grpcAddress: string;
  modelUrl: string;
  /** Authenticated HTTP headers (a valid token). */
  httpHeaders: Record<string, string>;
  /** Authenticated gRPC metadata. */
  grpcMetadata: () => Metadata;
  /** Whether a 500 with this error id was logged as the contract's (`internal_by_contract`), with its message. */
  contract500: (errorId: string) => Promise<string | undefined>;
}

export interface FuzzFailure {
  index: number;
  what: string;
  detail: string;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  statuses: Record<string, number>;
  allowed5xx: Record<string, number>;
  failures: FuzzFailure[];
}

const REQUEST_TIMEOUT_MS = 30_000;
const CONCURRENCY = 8;
const PROTO = join(__dirname, '../../proto/contract.proto');
const LOADER = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

interface RpcSeed {
  path: string;
  streaming: boolean;
  bytes: Buffer;
}

/** Valid encoded requests for every RPC of the contract (agent-platform.md §3–§5). */
function rpcCorpus(modelUrl: string): RpcSeed[] {
  const definition = loadSync(PROTO, LOADER) as unknown as Record<
    string,
    Record<string, { path: string; requestStream: boolean; requestSerialize: (value: object) => Buffer }>
  >;
  const service = definition.DuoWorkflow;
  const seed = (rpc: string, value: object): RpcSeed => ({
    path: service[rpc].path,
    streaming: service[rpc].requestStream,
    bytes: service[rpc].requestSerialize(value),
  });
  return [
    seed('GenerateToken', {}),
    seed('ListCapabilities', {}),
    seed('ListTools', {}),
    seed('ListFlows', {}),
    seed('ValidateFlowConfig', { flowConfig: 'version: v1\nenvironment: ambient\ncomponents: []\nflow: {}\n' }),
    seed('ExecuteWorkflow', {
      startRequest: {
        workflowID: '42',
        goal: `Say hi (model ${modelUrl})`,
        workflowDefinition: 'chat',
        clientCapabilities: [],
        workflowMetadata: '{"extended_logging": false}',
      },
    }),
    seed('TrackSelfHostedExecuteWorkflow', {}),
  ];
}

/**
 * A seeded, reproducible mutation fuzz run: valid requests for every HTTP route and RPC, damaged one to four ways,
 * sent with a valid token. A 5xx the contract does not prescribe, a gRPC INTERNAL/UNKNOWN, or an answer that does
 * not come within 30 s is a failure.
 */
export async function runFuzz(target: FuzzTarget, seed: number, requests: number, only?: number): Promise<FuzzReport> {
  const random = new Random(seed);
  const http = httpCorpus(target.modelUrl);
  const rpcs = rpcCorpus(target.modelUrl);
  const client = duoWorkflowClient(target.grpcAddress);
  const report: FuzzReport = { seed, requests: 0, statuses: {}, allowed5xx: {}, failures: [] };
  const count = (key: string) => (report.statuses[key] = (report.statuses[key] ?? 0) + 1);
  // Every case is drawn before any is sent, so the run is the same whatever order answers come in.
  const cases = Array.from({ length: requests }, (_, index) =>
    random.chance(0.85) ? httpCase(http, random, index) : rpcCase(rpcs, random, index),
  );
  let next = only ?? 0;
  const end = only === undefined ? cases.length : only + 1;
  const worker = async () => {
    for (let index = next++; index < end; index = next++) {
      const item = cases[index];
      report.requests += 1;
      const outcome =
        item.kind === 'http' ? await sendHttp(target, item, report) : await sendRpc(client, target, item, report);
      count(outcome.key);
      if (outcome.failure) report.failures.push({ index, what: item.describe, detail: outcome.failure });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  client.close();
  return report;
}

interface HttpCase {
  kind: 'http';
  describe: string;
  method: string;
  path: string;
  contentType?: string;
  body?: Buffer;
}

interface RpcCase {
  kind: 'rpc';
  describe: string;
  path: string;
  streaming: boolean;
  bytes: Buffer;
  halfClose: boolean;
}

function httpCase(corpus: SeedRequest[], random: Random, index: number): HttpCase {
  const seed = random.pick(corpus);
  let method: string = seed.method;
  let path = seed.path;
  if (random.chance(0.04)) method = random.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
  if (random.chance(0.04))
    path = `${path}${random.pick(['/x', '/../v1', '%00', '?a=%zz', '//', '/' + 'y'.repeat(5000)])}`;
  let contentType: string | undefined = 'application/json';
  if (random.chance(0.05)) contentType = random.pick([undefined, 'text/plain', 'application/x-www-form-urlencoded']);
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'OPTIONS') {
    const json = Buffer.from(JSON.stringify(random.chance(0.9) ? mutateJson(seed.body, random) : seed.body) ?? '');
    body = random.chance(0.15) ? mutateBytes(json, random) : json;
  }
  return { kind: 'http', describe: `#${index} ${method} ${path.slice(0, 80)}`, method, path, contentType, body };
}

function rpcCase(corpus: RpcSeed[], random: Random, index: number): RpcCase {
  const seed = random.pick(corpus);
  return {
    kind: 'rpc',
    describe: `#${index} ${seed.path}`,
    path: seed.path,
    streaming: seed.streaming,
    bytes: random.chance(0.85) ? mutateBytes(seed.bytes, random) : seed.bytes,
    halfClose: random.chance(0.8),
  };
}

interface Outcome {
  key: string;
  failure?: string;
}

async function sendHttp(target: FuzzTarget, item: HttpCase, report: FuzzReport): Promise<Outcome> {
  const headers = { ...target.httpHeaders };
  delete headers['content-type'];
  if (item.contentType) headers['content-type'] = item.contentType;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${target.baseUrl}${item.path}`, {
      method: item.method,
      headers,
      body: item.body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    // A body past its route's limit is answered 413 and the connection closed before the body is read: a client
    // still uploading may see the reset before the answer.
    if ((item.body?.length ?? 0) > bodyLimitOf(item.path.split('?')[0]))
      return { key: 'http:413 (reset while uploading)' };
    return { key: 'http:no answer', failure: `no answer: ${(error as Error).message}` };
  }
  const key = `http:${response.status}`;
  if (response.status < 500) return { key };
  const path = item.path.split('?')[0];
  if (response.status === 500 && text === '{"detail":"Failed to generate JWT"}') {
    report.allowed5xx['500 http-api.md §1.7 Failed to generate JWT'] =
      (report.allowed5xx['500 http-api.md §1.7 Failed to generate JWT'] ?? 0) + 1;
    return { key };
  }
  if (response.status === 500) {
    const errorId = response.headers.get('x-error-id');
    const message = errorId ? await target.contract500(errorId) : undefined;
    if (message !== undefined) {
      report.allowed5xx[`500 ${message.slice(0, 80)}`] = (report.allowed5xx[`500 ${message.slice(0, 80)}`] ?? 0) + 1;
      return { key };
    }
    return { key, failure: `500 not prescribed by the contract (x-error-id ${errorId}): ${text.slice(0, 200)}` };
  }
  const why = allowed5xx(path, response.status, text);
  if (why) {
    report.allowed5xx[`${response.status} ${why}`] = (report.allowed5xx[`${response.status} ${why}`] ?? 0) + 1;
    return { key };
  }
  return { key, failure: `${response.status} not prescribed by the contract: ${text.slice(0, 200)}` };
}

const BAD_GRPC = new Set<number>([GrpcStatus.INTERNAL, GrpcStatus.UNKNOWN, GrpcStatus.DEADLINE_EXCEEDED]);
const identity = (value: Buffer) => value;

function sendRpc(client: Client, target: FuzzTarget, item: RpcCase, report: FuzzReport): Promise<Outcome> {
  const deadline = Date.now() + REQUEST_TIMEOUT_MS;
  return new Promise((resolve) => {
    const settle = (code: number, details: string) => {
      const name = GrpcStatus[code] ?? String(code);
      const key = `grpc:${name}`;
      if (!BAD_GRPC.has(code)) return resolve({ key });
      const why = code === GrpcStatus.INTERNAL ? allowedGrpcFailure(details) : undefined;
      if (!why) return resolve({ key, failure: `${name}: ${details.slice(0, 200)}` });
      report.allowed5xx[`${name} ${why}`] = (report.allowed5xx[`${name} ${why}`] ?? 0) + 1;
      resolve({ key });
    };
    if (!item.streaming) {
      client.makeUnaryRequest(item.path, identity, identity, item.bytes, target.grpcMetadata(), { deadline }, (error) =>
        settle(error?.code ?? GrpcStatus.OK, error?.details ?? ''),
      );
      return;
    }
    const call = client.makeBidiStreamRequest(item.path, identity, identity, target.grpcMetadata(), { deadline });
    call.on('data', () => undefined);
    call.on('error', () => undefined);
    call.on('status', (status) => settle(status.code, status.details));
    call.write(item.bytes);
    if (item.halfClose) call.end();
    else setTimeout(() => call.cancel(), 2_000).unref();
  });
}
