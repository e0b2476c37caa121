import { createServer, Server } from 'node:http';
import type { AdminRoutes } from '../admin/admin-routes';

/** What a metrics listener serves: a registry's text and its content type. */
export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
}

/**
 * The Prometheus listener (http-api.md §5.3): `source` rendered on any path, 500 when rendering fails (the
 * error goes to `onError`). Resolves once listening. Used by a single process and by the cluster primary.
 * `admin` claims the `/admin/*` paths when the status page is on.
 */
export async function listenForMetrics(
  source: MetricsSource,
  host: string,
  port: number,
  onError: (error: unknown) => void,
  admin?: AdminRoutes,
): Promise<Server> {
  const server = createServer((request, response) => {
    if (admin?.(request, response)) return;
    source
      .render()
      .then((text) => response.writeHead(200, { 'content-type': source.contentType }).end(text))
      .catch((error: unknown) => {
        onError(error);
        response.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
