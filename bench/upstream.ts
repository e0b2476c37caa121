import { createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Stand-in OpenAI-compatible model server for `npm run bench`, run as its own process:
 * `POST …/completions` and `POST …/chat/completions`, JSON or SSE (`stream: true`). Unlike the test fakes it
 * records nothing, so it stays flat under any load.
 *
 * - `BENCH_UPSTREAM_LATENCY_MS`: wait before the status line (default 0).
 * - `BENCH_UPSTREAM_CHUNKS`, `BENCH_UPSTREAM_STREAM_MS`: a stream sends this many text chunks, chunk k at
 *   k × STREAM_MS / CHUNKS after the status line, and `data: [DONE]` at STREAM_MS (defaults 5 and 0).
 * - Chat requests whose last message is not a tool result answer with one `read_file` tool call, so an agent
 *   run makes exactly one action round trip.
 *
 * Prints `{"port":<port>}` once listening on 127.0.0.1.
 */

const latencyMs = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 0);
const chunkCount = Number(process.env.BENCH_UPSTREAM_CHUNKS ?? 5);
const streamMs = Number(process.env.BENCH_UPSTREAM_STREAM_MS ?? 0);

/** Every streamed text chunk starts with this; the stream client counts chunks by it. */
const TEXT_CHUNK = 'tok_';
const TOOL_CALL = {
  id: 'call_1',
  type: 'function',
  function: { name: 'read_file', arguments: '{"file_path":"README.md"}' },
};

interface Answer {
  text: string;
  toolCall: boolean;
}

const server = createServer((request, response) => {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => {
    const path = request.url ?? '';
    if (request.method !== 'POST' || !path.endsWith('/completions')) return void response.writeHead(404).end();
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    const chat = path.endsWith('/chat/completions');
    const answer: Answer = { text: 'return a + b', toolCall: chat && body.messages?.at(-1)?.role !== 'tool' };
    const reply = () => (body.stream === true ? stream(response, chat, answer) : json(response, chat, answer));
    if (latencyMs > 0) setTimeout(reply, latencyMs);
    else reply();
  });
});
// Clients keep connections for long; Node's 5 s default would make them reconnect mid-run.
server.keepAliveTimeout = 120_000;
server.maxRequestsPerSocket = 0;

function json(response: ServerResponse, chat: boolean, answer: Answer): void {
  const message = answer.toolCall
    ? { role: 'assistant', content: null, tool_calls: [TOOL_CALL] }
    : { role: 'assistant', content: answer.text };
  const choice = chat
    ? { index: 0, message, finish_reason: answer.toolCall ? 'tool_calls' : 'stop' }
    : { index: 0, text: answer.text, logprobs: null, finish_reason: 'stop' };
  const usage = { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 };
  const text = JSON.stringify({
    id: 'cmpl-bench',
    object: 'text_completion',
    created: 1,
    model: 'bench',
    choices: [choice],
    usage,
  });
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

function stream(response: ServerResponse, chat: boolean, answer: Answer): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (choice: object) =>
    `data: ${JSON.stringify({ id: 'cmpl-bench', created: 1, model: 'bench', choices: [choice] })}\n\n`;
  const delta = (index: number) =>
    chat
      ? {
          index: 0,
          finish_reason: null,
          delta: answer.toolCall ? { tool_calls: [{ index: 0, ...TOOL_CALL }] } : { content: TEXT_CHUNK },
        }
      : { index: 0, finish_reason: null, text: `${TEXT_CHUNK}${index % 10}` };
  const events = answer.toolCall ? [delta(0)] : Array.from({ length: chunkCount }, (_, index) => delta(index));
  const finish = chat
    ? { index: 0, finish_reason: answer.toolCall ? 'tool_calls' : 'stop', delta: {} }
    : { index: 0, finish_reason: 'stop', text: '' };
  const writes: Array<() => unknown> = events.map((choice) => () => response.write(event(choice)));
  writes.push(() => response.end(`${event(finish)}data: [DONE]\n\n`));
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  response.once('close', () => clearTimeout(timer));
  // Each write is due at a fixed offset from the start, so late timers do not add up over a stream; the next one is
  // scheduled only after the previous ran, so a late timer never reorders chunks or lets the end overtake them.
  const writeFrom = (index: number): void => {
    for (; index < writes.length; index += 1) {
      const waitMs = started + (index * streamMs) / events.length - performance.now();
      if (waitMs >= 1) {
        timer = setTimeout(() => writeFrom(index), waitMs);
        return;
      }
      writes[index]!();
    }
  };
  writeFrom(0);
}

// Thousands of gateway connections arrive within a second in the stream scenario.
server.listen({ port: 0, host: '127.0.0.1', backlog: 8192 }, () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
