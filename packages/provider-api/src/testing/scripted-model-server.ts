import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { EncodedResponse, EncodedStream, FakeReply, RecordedRequest, ReplyScript, WireFormat } from './model-fake';

/** A loopback HTTP server speaking one wire format, answering scripted replies and recording requests. */
export class ScriptedModelServer {
  readonly requests: RecordedRequest[] = [];
  /** Most requests open at the same time so far. */
  peakInFlight = 0;
  private inFlight = 0;
  private scripts: ReplyScript[] = [{}];
  private waiters: Array<() => void> = [];
  private closeWaiters: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly format: WireFormat) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.closeWaiters.splice(0).forEach((wake) => wake());
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Replies for the next requests, in order; the last one keeps answering. */
  script(...replies: ReplyScript[]): void {
    this.scripts = replies.length > 0 ? replies : [{}];
  }

  /** Distinct TCP connections that carried requests. */
  get connectionCount(): number {
    return new Set(this.requests.map((request) => request.remotePort)).size;
  }

  /** Resolves once `count` requests have arrived in total. */
  async waitForRequests(count: number): Promise<RecordedRequest[]> {
    while (this.requests.length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.requests.slice(0, count);
  }

  /** Resolves once at most `count` TCP connections are open. */
  async waitForOpenConnections(count: number): Promise<void> {
    while (this.sockets.size > count) {
      await new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await record(req, res);
    this.requests.push(request);
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    void request.closed.then(() => (this.inFlight -= 1));
    this.waiters.splice(0).forEach((wake) => wake());

    const route = this.format.route(request);
    if (!route) return send(res, { status: 404, headers: {}, body: JSON.stringify({ error: 'no such route' }) });
    const refusal = this.format.authenticate?.(request);
    if (refusal) return send(res, refusal);
    const reply = this.nextReply(request);
    if (reply.stall) return;
    if (reply.hold) await reply.hold;
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed || res.socket?.destroyed) return;
    if (reply.status && reply.endlessBody !== undefined) return writeEndlessError(res, reply);
    if (reply.status) return send(res, this.format.error(reply));
    if (!route.stream && !reply.rawBody && reply.endlessBody === undefined) {
      return send(res, this.format.reply(reply, request));
    }
    await writeStream(res, reply, route.stream ? this.format.stream(reply, request) : undefined);
  }

  private nextReply(request: RecordedRequest): FakeReply {
    const script = this.scripts.length > 1 ? this.scripts.shift()! : this.scripts[0];
    return typeof script === 'function' ? script(request) : script;
  }
}

async function record(req: IncomingMessage, res: ServerResponse): Promise<RecordedRequest> {
  const closed = new Promise<'finished' | 'aborted'>((resolve) =>
    res.on('close', () => resolve(res.writableFinished ? 'finished' : 'aborted')),
  );
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const rawBody = Buffer.concat(parts).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://fake');
  return {
    method: req.method ?? '',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    body: parseJson(rawBody),
    remotePort: req.socket.remotePort ?? 0,
    closed,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, response: EncodedResponse): void {
  res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
  res.end(response.body);
}

/** A streamed reply, or a raw or endless body (`encoded` absent: not a stream). */
async function writeStream(res: ServerResponse, reply: FakeReply, encoded?: EncodedStream): Promise<void> {
  res.writeHead(200, { 'content-type': encoded?.contentType ?? 'application/json', 'cache-control': 'no-cache' });
  res.flushHeaders();
  if (reply.endlessBody !== undefined) {
    for (const event of reply.rawBody ?? encoded?.events ?? []) await write(res, event);
    return writeForever(res, reply.endlessBody);
  }
  const ended = !reply.omitTerminator && !reply.stallBeforeTerminator;
  const events = reply.rawBody ?? [...encoded!.events, ...(ended ? encoded!.terminator : [])];
  for (const [index, event] of events.entries()) {
    if (index === reply.stallAfterChunks) return;
    if (index === reply.pauseAfterChunks?.count) await reply.pauseAfterChunks.until;
    if (index === reply.cutAfterChunks) return void res.socket?.destroy();
    if (res.destroyed || res.socket?.destroyed) return;
    await write(res, event);
  }
  if (reply.stallBeforeTerminator) return;
  if (reply.stallAfterChunks !== undefined && reply.stallAfterChunks >= events.length) return;
  if (reply.cutAfterChunks !== undefined) return void res.socket?.destroy();
  res.end();
}

async function writeEndlessError(res: ServerResponse, reply: FakeReply): Promise<void> {
  res.writeHead(reply.status!, { 'content-type': 'application/json' });
  await writeForever(res, reply.endlessBody!);
}

/** Until the client goes away; each write waits for the previous one to drain. */
async function writeForever(res: ServerResponse, piece: string | Buffer): Promise<void> {
  while (await write(res, piece));
}

/**
 * Resolves false once the connection is gone. (Node 24 leaves `res.destroyed` false when the socket closes
 * under a response; the write callback's error is what tells.)
 */
function write(res: ServerResponse, piece: string | Buffer): Promise<boolean> {
  if (res.destroyed || res.socket?.destroyed) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => res.write(piece, (error) => resolve(!error)));
}
