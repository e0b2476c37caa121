import { Server } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { ShutdownState } from '@app/common';

/** `grpc.health.v1.Health` for `""` and `"DuoWorkflow"`, no auth; NOT_SERVING once draining. */
export function addGrpcHealth(server: Server, shutdown: ShutdownState): void {
  const health = new HealthImplementation({ '': 'SERVING', DuoWorkflow: 'SERVING' });
  shutdown.onDrain(() => {
    health.setStatus('', 'NOT_SERVING');
    health.setStatus('DuoWorkflow', 'NOT_SERVING');
  });
  health.addToServer(server);
}
