import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { RecordedRequest } from '@gitlab-ai-gateway/provider-api/testing';
import { OpenAiWireFormat } from './openai-compatible.server';

export interface PoolBackendOptions {
  /** Text deltas of every answer (streamed one event each); default `['ok']`. */
  chunks?: string[];
  /** Before the status line. */
  delayMs?: number;
  /** Between two stream events. */
  chunkGapMs?: number;
  /**
   * vLLM's automatic prefix caching, imitated: an answer whose prompt starts with `prefixChars` characters this
   * backend has seen before waits `hitDelayMs` instead of `delayMs`.
   */
  prefixCache?: {
    prefixChars: number;
    hitDelayMs: number;
    /** Prefixes kept, least recently used dropped. */ capacity: number;
  };
}

/**
 * One replica of an OpenAI-compatible model server (vLLM) for endpoint-pool tests: completions (JSON or SSE),
 * `GET /health` and `GET /v1/models`, and the ways a replica goes wrong — stalled (accepts, never answers,
 * health check included) or killed (connections cut, port closed).
 */
export class PoolBackendFake {
  /** Completion requests that arrived (health checks excluded). */
  received = 0;
  /** Completion answers written to the end. */
  completed = 0;
  /** Answers that were faster because their prompt prefix had been seen (see `prefixCache`). */
  cacheHits = 0;
  private stalled = false;
  private readonly seenPrefixes = new Set<string>();
  private readonly sockets = new Set<Socket>();
  private readonly format = new OpenAiWireFormat();

  private readonly server: Server;
  private origin = '';

  private constructor(private readonly options: PoolBackendOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: PoolBackendOptions = {}): Promise<PoolBackendFake> {
    const fake = new PoolBackendFake(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.origin = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The endpoint to configure: the origin plus `/v1`, as vLLM's. */
  get url(): string {
    return `${this.origin}/v1`;
  }

  /** From now on every request, health checks included, is accepted and never answered. */
  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
  }

  /** Cuts every open connection and stops listening, as a crashed replica: new connections are refused. */
  async kill(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  close(): Promise<void> {
    return this.server.listening ? this.kill() : Promise.resolve();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    if (this.stalled) return;
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'GET' && (path === '/health' || path === '/v1/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(path === '/health' ? {} : { object: 'list', data: [{ id: 'fake' }] }));
    }
    const rawBody = Buffer.concat(parts).toString('utf8');
    const request = { method: req.method, path, headers: req.headers, rawBody, body: JSON.parse(rawBody) };
    const route = this.format.route(request as RecordedRequest);
    if (!route) return void res.writeHead(404).end();
    this.received += 1;
    await sleep(this.answerDelay(request.body));
    if (res.destroyed) return;
    const reply = { chunks: this.options.chunks ?? ['ok'] };
    if (!route.stream) {
      const answer = this.format.reply(reply, request as RecordedRequest);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer.body);
      this.completed += 1;
      return;
    }
    const stream = this.format.stream(reply, request as RecordedRequest);
    res.writeHead(200, { 'content-type': stream.contentType });
    res.flushHeaders();
    for (const event of [...stream.events, ...stream.terminator]) {
      if (res.destroyed) return;
      res.write(event);
      if (this.options.chunkGapMs) await sleep(this.options.chunkGapMs);
    }
    res.end();
    this.completed += 1;
  }

  private answerDelay(body: { prompt?: string; messages?: Array<{ content: string }> }): number {
    const cache = this.options.prefixCache;
    if (!cache) return this.options.delayMs ?? 0;
    const prompt = body.prompt ?? body.messages?.map((message) => message.content).join('\n') ?? '';
    const prefix = prompt.slice(0, cache.prefixChars);
    const hit = this.seenPrefixes.delete(prefix);
    this.seenPrefixes.add(prefix);
    if (this.seenPrefixes.size > cache.capacity) this.seenPrefixes.delete(this.seenPrefixes.values().next().value!);
    if (!hit) return this.options.delayMs ?? 0;
    this.cacheHits += 1;
    return cache.hitDelayMs;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
