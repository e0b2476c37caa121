import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/** What the stand-in does wrong (issue 15): each an upstream failure a real model server has shown. */
export type ModelFault =
  | 'none'
  | 'refused'
  | 'reset'
  | 'status503'
  | 'status429'
  | 'malformedSse'
  | 'errorInStream'
  | 'stall'
  | 'trickle'
  | 'endless'
  | 'giantLine';

export const MODEL_FAULTS: readonly ModelFault[] = [
  'refused',
  'reset',
  'status503',
  'status429',
  'malformedSse',
  'errorInStream',
  'stall',
  'trickle',
  'endless',
  'giantLine',
];

/** The text a healthy (or trickled) answer carries. */
export const FAULT_FREE_TEXT = 'return a + b';

/**
 * An OpenAI-compatible model server (`/chat/completions`, `/completions`, streamed when the request says
 * `stream: true`) that fails the way it is told. `refused` is answered by {@link url} pointing at a closed port.
 * Every answer says `Connection: close` and the server counts its open sockets, so tests see the gateway hang up.
 */
export class FaultModelServer {
  fault: ModelFault = 'none';
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly socketWaiters: Array<() => void> = [];
  private origin = '';
  private closedOrigin = '';

  private constructor() {
    this.server = createServer((request, response) => this.answer(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        if (this.sockets.size === 0) this.socketWaiters.splice(0).forEach((wake) => wake());
      });
    });
  }

  static async start(): Promise<FaultModelServer> {
    const fake = new FaultModelServer();
    fake.origin = await listen(fake.server);
    const closed = createServer();
    fake.closedOrigin = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    return fake;
  }

  /** The endpoint (`api_base`) to name, for the current fault. */
  get url(): string {
    return `${this.fault === 'refused' ? this.closedOrigin : this.origin}/v1`;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** Resolves once every connection to this server has closed. */
  allSocketsClosed(): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.socketWaiters.push(resolve));
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { stream?: boolean };
    const chat = request.url?.endsWith('/chat/completions') ?? false;
    const stream = body.stream === true;
    const frame = (text: string) => `data: ${JSON.stringify(delta(chat, text))}\n\n`;
    switch (this.fault) {
      case 'reset':
        return void request.socket.destroy();
      case 'status503':
      case 'status429':
        response.writeHead(this.fault === 'status503' ? 503 : 429, {
          connection: 'close',
          'content-type': 'application/json',
          'retry-after': '7',
        });
        return void response.end(JSON.stringify({ error: { message: 'busy', type: 'server_error' } }));
      case 'stall':
        return;
      case 'malformedSse':
        response.writeHead(200, {
          connection: 'close',
          'content-type': stream ? 'text/event-stream' : 'application/json',
        });
        return void response.end(stream ? 'data: {not json\n\n' : '{"choices": [');
      case 'errorInStream':
        if (!stream) {
          response.writeHead(200, { connection: 'close', 'content-type': 'application/json' });
          return void response.end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } }));
        }
        response.writeHead(200, { connection: 'close', 'content-type': 'text/event-stream' });
        response.write(frame('return'));
        return void response.end(`data: ${JSON.stringify({ error: { message: 'boom', type: 'server_error' } })}\n\n`);
      case 'trickle':
        return this.trickle(response, stream ? `${frame(FAULT_FREE_TEXT)}data: [DONE]\n\n` : whole(chat), stream);
      case 'endless':
        return this.endless(response, stream ? frame('a'.repeat(1000)) : undefined, chat);
      case 'giantLine':
        response.writeHead(200, {
          connection: 'close',
          'content-type': stream ? 'text/event-stream' : 'application/json',
        });
        response.write(stream ? 'data: "' : `{"choices": [{"text": "`);
        return this.endless(response, 'a'.repeat(64 * 1024), chat, false);
      default:
        break;
    }
    if (stream) {
      response.writeHead(200, { connection: 'close', 'content-type': 'text/event-stream' });
      return void response.end(`${frame(FAULT_FREE_TEXT)}data: [DONE]\n\n`);
    }
    response.writeHead(200, { connection: 'close', 'content-type': 'application/json' });
    response.end(whole(chat));
  }

  /** One byte every 10 ms: never silent long enough for a read timeout. */
  private async trickle(response: ServerResponse, text: string, stream: boolean): Promise<void> {
    response.writeHead(200, { connection: 'close', 'content-type': stream ? 'text/event-stream' : 'application/json' });
    for (const char of text) {
      if (response.destroyed) return;
      response.write(char);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    response.end();
  }

  /** Writes `piece` (or an endless JSON text) until the client hangs up, respecting back-pressure. */
  private async endless(
    response: ServerResponse,
    piece: string | undefined,
    chat: boolean,
    head = true,
  ): Promise<void> {
    if (head)
      response.writeHead(200, {
        connection: 'close',
        'content-type': piece ? 'text/event-stream' : 'application/json',
      });
    if (!piece) response.write(chat ? '{"choices": [{"message": {"content": "' : '{"choices": [{"text": "');
    const filler = piece ?? 'a'.repeat(64 * 1024);
    while (!response.destroyed) {
      if (!response.write(filler)) {
        await new Promise((resolve) => {
          response.once('drain', resolve);
          response.once('close', resolve);
        });
      }
    }
  }
}

function delta(chat: boolean, text: string): object {
  return chat
    ? {
        id: 'c',
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
      }
    : { id: 'c', object: 'text_completion', choices: [{ index: 0, text, finish_reason: null }] };
}

function whole(chat: boolean): string {
  const choice = chat
    ? { index: 0, message: { role: 'assistant', content: FAULT_FREE_TEXT }, finish_reason: 'stop' }
    : { index: 0, text: FAULT_FREE_TEXT, finish_reason: 'length' };
  return JSON.stringify({ id: 'c', object: chat ? 'chat.completion' : 'text_completion', choices: [choice] });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
