import { rootCertificates } from 'node:tls';
import {
  ChannelCredentials,
  credentials,
  makeClientConstructor,
  ServiceError,
  status as GrpcStatus,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { Check, CheckResult, fail, pass, TroubleshootContext } from '../check';

const DEADLINE_MS = 10_000;
const SERVICES = ['', 'DuoWorkflow'];

interface HealthClient {
  check(
    request: { service: string },
    options: { deadline: number },
    callback: (error: ServiceError | null, reply?: { status: string }) => void,
  ): void;
  close(): void;
}

const HealthClientConstructor = makeClientConstructor(healthService, 'grpc.health.v1.Health');

/** `grpc.health.v1.Health` of the Agent Platform service, for the server and for `DuoWorkflow` (agent-platform.md §1). */
export const grpcHealthCheck: Check = async (context) => {
  const { grpcEndpoint } = context.options;
  const title = `Agent Platform gRPC service is serving at ${grpcEndpoint}`;
  const client = new HealthClientConstructor(grpcEndpoint, channelCredentials(context)) as unknown as HealthClient;
  try {
    const statuses = await Promise.all(SERVICES.map((name) => check(client, name)));
    const failed = statuses.find((outcome) => outcome.status !== 'SERVING');
    if (!failed) return [pass(title, 'grpc.health.v1.Health: SERVING for "" and "DuoWorkflow"')];
    return [failure(title, failed, grpcEndpoint)];
  } finally {
    client.close();
  }
};

interface HealthOutcome {
  service: string;
  status: string;
  error?: ServiceError;
}

function check(client: HealthClient, service: string): Promise<HealthOutcome> {
  return new Promise((resolve) =>
    client.check({ service }, { deadline: Date.now() + DEADLINE_MS }, (error, reply) =>
      resolve(error ? { service, status: 'ERROR', error } : { service, status: reply?.status ?? 'UNKNOWN' }),
    ),
  );
}

function failure(title: string, outcome: HealthOutcome, endpoint: string): CheckResult {
  const name = JSON.stringify(outcome.service);
  if (!outcome.error) {
    return fail(title, `${name} is ${outcome.status}`, 'NOT_SERVING means the gateway is shutting down; see its log.');
  }
  if (outcome.error.code === GrpcStatus.UNAVAILABLE || outcome.error.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return fail(
      title,
      // grpc-js appends an often empty "Resolution note:" to connection errors.
      (outcome.error.details || outcome.error.message).replace(/\s*Resolution note:\s*$/, ''),
      `Check that port ${portOf(endpoint)} is published and --grpc-endpoint points at the Agent Platform port (AIGW_AGENT_PLATFORM__PORT or PORT, 50052 by default); use grpcs://host:port when TLS is on (DUO_WORKFLOW_TLS__ENABLED or a TLS proxy).`,
    );
  }
  return fail(
    title,
    `${name}: ${outcome.error.message}`,
    'Is --grpc-endpoint this gateway and not another gRPC service?',
  );
}

/** The port of `host:port`, `grpcs://host:port` or `[::1]:port`; 50052 when none is written. */
function portOf(endpoint: string): string {
  return /:(\d+)\/?$/.exec(endpoint)?.[1] ?? '50052';
}

/** TLS when asked for with grpcs://, or when the gateway serves gRPCS itself; the custom CA is trusted too. */
function channelCredentials({ options, config, caBundlePem }: TroubleshootContext): ChannelCredentials {
  const tls = options.grpcTls ?? config?.duoWorkflow.tls.enabled ?? false;
  if (!tls) return credentials.createInsecure();
  return credentials.createSsl(caBundlePem ? Buffer.from([...rootCertificates, caBundlePem].join('\n')) : undefined);
}
