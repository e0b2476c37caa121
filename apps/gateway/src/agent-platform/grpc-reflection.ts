import { Server } from '@grpc/grpc-js';
import { loadSync, PackageDefinition } from '@grpc/proto-loader';
import type { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { GRPC_LOADER_OPTIONS } from './grpc-options';

/** The two indexes of `@grpc/reflection`'s implementations that hold symbol names. */
interface ReflectionIndexes {
  services: Record<string, unknown>;
  symbols: Record<string, unknown>;
}

/**
 * Server reflection over `DuoWorkflow` and `grpc.health.v1.Health` (agent-platform.md §9 check 2). Loaded only
 * when enabled: it costs ~30 ms of start-up.
 */
export function addGrpcReflection(server: Server, definition: PackageDefinition): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when enabled
  const reflection: { ReflectionService: typeof ReflectionService } = require('@grpc/reflection');
  const health = loadSync(healthProtoPath, GRPC_LOADER_OPTIONS);
  const service = new reflection.ReflectionService({ ...definition, ...health });
  const implementations = service as unknown as { v1: ReflectionIndexes; v1Alpha: ReflectionIndexes };
  for (const implementation of [implementations.v1, implementations.v1Alpha]) {
    implementation.services = withoutLeadingDots(implementation.services);
    implementation.symbols = { ...implementation.symbols, ...withoutLeadingDots(implementation.symbols) };
  }
  service.addToServer(server);
}

/**
 * @grpc/reflection 1.0.4 names the symbols of a proto without a package with a leading dot (`.DuoWorkflow`);
 * clients list and ask for `DuoWorkflow`.
 */
function withoutLeadingDots<T>(index: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(index).map(([name, value]) => [name.replace(/^\./, ''), value]));
}
