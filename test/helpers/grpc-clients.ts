import {
  credentials,
  loadPackageDefinition,
  Client,
  ChannelCredentials,
  ClientReadableStream,
  GrpcObject,
  ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { join } from 'node:path';

const LOADER = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

export type HealthStatus = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN' | 'SERVICE_UNKNOWN';

interface HealthClient extends Client {
  check(request: { service: string }, callback: (error: Error | null, reply?: { status: HealthStatus }) => void): void;
  watch(request: { service: string }): ClientReadableStream<{ status: HealthStatus }>;
}

/** `grpc.health.v1.Health` client. */
export function healthClient(address: string, creds: ChannelCredentials = credentials.createInsecure()): HealthClient {
  const health = loadPackageDefinition(loadSync(healthProtoPath, LOADER)) as unknown as {
    grpc: { health: { v1: { Health: ServiceClientConstructor } } };
  };
  return new health.grpc.health.v1.Health(address, creds) as unknown as HealthClient;
}

export function checkHealth(client: HealthClient, service: string): Promise<HealthStatus> {
  return new Promise((resolve, reject) =>
    client.check({ service }, (error, reply) => (error ? reject(error) : resolve(reply!.status))),
  );
}

let contract: GrpcObject | undefined;

/** The DuoWorkflow service from the repo's proto (no package line: `/DuoWorkflow/<Rpc>`). */
export function duoWorkflowClient(address: string, creds: ChannelCredentials = credentials.createInsecure()): Client {
  // Parsed once: the benchmark opens hundreds of calls, each with its own client.
  contract ??= loadPackageDefinition(loadSync(join(__dirname, '../../proto/contract.proto'), LOADER)) as GrpcObject;
  return new (contract.DuoWorkflow as ServiceClientConstructor)(address, creds, {
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
}
