import { OutboundHttp, OutboundHttpOptions } from '@app/common';

/** Every item of an async iterable (a provider's chunk stream), in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The shared outbound client as provider specs use it against a loopback stand-in: short timeouts, a small pool. */
export function testOutbound(options: Partial<OutboundHttpOptions> = {}): OutboundHttp {
  return new OutboundHttp({
    caBundleFile: '',
    maxConnectionsPerOrigin: 4,
    connectTimeoutS: 1,
    readTimeoutS: 5,
    keepAliveTimeoutS: 5,
    ...options,
  });
}
