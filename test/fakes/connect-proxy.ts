import { once } from 'node:events';
import { createServer, IncomingMessage, request as httpRequest, Server } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';

/** One request the proxy handled: a `CONNECT host:port` tunnel, or a plain `GET http://…` forwarded. */
export interface ProxiedRequest {
  method: string;
  /** `host:port` of a tunnel, or the absolute URL of a forwarded request. */
  target: string;
  /** The `proxy-authorization` header, when the client sent one. */
  authorization?: string;
}

/**
 * An HTTP forward proxy as enterprises run them (Squid, a corporate egress proxy): `CONNECT` tunnels to any
 * target, and absolute-form requests forwarded. It records what it saw; it never reaches past this machine,
 * since the tests only name loopback targets.
 */
export class ConnectProxy {
  readonly seen: ProxiedRequest[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ConnectProxy> {
    const server = createServer();
    const proxy = new ConnectProxy(server);
    server.on('connect', (request, socket: Socket, head) => proxy.tunnel(request, socket, head));
    server.on('request', (request, response) => {
      proxy.record(request);
      const upstream = httpRequest(request.url!, { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.writeHead(502).end());
      request.pipe(upstream);
    });
    server.on('connection', (socket) => proxy.track(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The proxy's log: one `METHOD target` line per request. */
  log(): string[] {
    return this.seen.map(({ method, target }) => `${method} ${target}`);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }

  private tunnel(request: IncomingMessage, client: Socket, head: Buffer): void {
    this.record(request);
    const [host, port] = request.url!.split(':');
    const upstream = this.track(connect(Number(port), host));
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', () => {
      if (!client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      close();
    });
    client.on('error', close);
    client.on('close', close);
  }

  private record(request: IncomingMessage): void {
    const authorization = request.headers['proxy-authorization'];
    this.seen.push({ method: request.method!, target: request.url!, ...(authorization ? { authorization } : {}) });
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }
}
