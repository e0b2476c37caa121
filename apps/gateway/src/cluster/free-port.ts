import { AddressInfo, createServer } from 'node:net';

/**
 * A port the OS considers free right now. Used where port 0 must be resolved before the real listener
 * exists (Nest's gRPC transport drops the bound port; cluster workers must agree on one port). Another
 * process could take it in the short window before it is bound: acceptable for tests and tools.
 */
export async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, host, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
