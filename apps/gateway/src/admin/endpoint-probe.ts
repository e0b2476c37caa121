import { connect } from 'node:net';

const PROBE_TIMEOUT_MS = 1500;

/**
 * Whether a model endpoint accepts TCP connections right now. A probe opens and closes a connection, so it
 * sends no request, no key and costs the model server nothing. `undefined` for endpoints that are not URLs
 * (Bedrock goes through the AWS SDK).
 */
export function probeEndpoint(endpoint: string): Promise<boolean | undefined> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return Promise.resolve(undefined);
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: PROBE_TIMEOUT_MS });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
