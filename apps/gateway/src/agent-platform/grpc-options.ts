import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { GrpcOptions, Transport } from '@nestjs/microservices';
import { Traces } from '@app/common';
import { AppConfig } from '../config';
import { projectRoot } from '../project-root';
import { grpcCallSpan } from '../tracing/grpc-call-span';
import { addGrpcReflection } from './grpc-reflection';

export const PROTO_PATH = join(projectRoot(), 'proto', 'contract.proto');

/** `keepCase` so names such as `requestID` survive (agent-platform.md §1). */
export const GRPC_LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

/** 4 MiB both ways (agent-platform.md §1). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * The DuoWorkflow server: no proto package (clients call `/DuoWorkflow/<Rpc>`), `keepCase` so names such
 * as `requestID` survive, keepalive as Workhorse expects (server pings every 20 s, client pings allowed
 * every 10 s without calls).
 */
export function grpcOptions(config: AppConfig, port: number, onServer: (server: Server) => void): GrpcOptions {
  const { tls } = config.duoWorkflow;
  return {
    transport: Transport.GRPC,
    options: {
      package: '',
      protoPath: PROTO_PATH,
      url: `${config.agentPlatform.host}:${port}`,
      loader: GRPC_LOADER_OPTIONS,
      maxReceiveMessageLength: MAX_MESSAGE_BYTES,
      maxSendMessageLength: MAX_MESSAGE_BYTES,
      maxMetadataSize: 64 * 1024,
      keepalive: {
        keepaliveTimeMs: 20_000,
        keepaliveTimeoutMs: 20_000,
        keepalivePermitWithoutCalls: 1,
        http2MinPingIntervalWithoutDataMs: 10_000,
      },
      channelOptions: {
        'grpc.max_concurrent_streams': config.agentPlatform.maxConcurrentStreams,
        'grpc.http2.min_ping_interval_without_data_ms': 10_000,
        // grpc-js takes server interceptors from the options Nest passes to its `Server` constructor.
        ...(Traces.enabled ? { interceptors: [grpcCallSpan] } : {}),
      },
      credentials: tls.enabled
        ? ServerCredentials.createSsl(null, [
            { cert_chain: readFileSync(tls.certFile), private_key: readFileSync(tls.keyFile) },
          ])
        : ServerCredentials.createInsecure(),
      gracefulShutdown: true,
      onLoadPackageDefinition: (definition, server) => {
        // Reflection is unauthenticated, so only on request (agent-platform.md §1).
        if (config.duoWorkflow.grpcReflectionEnabled) addGrpcReflection(server as Server, definition);
        onServer(server as Server);
      },
    },
  };
}
