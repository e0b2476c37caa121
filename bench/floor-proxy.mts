import { createPublicKey, KeyObject, verify } from 'node:crypto';
import { Agent, createServer, IncomingMessage, request, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The floor reference of `npm run bench`: the least a Node proxy must do for a `/v2/code/completions` call, with
 * no framework. node:http in; the instance token checked as the gateway checks it (RS256 against the stand-in
 * GitLab's JWKS, `iss` and `exp`, a verified token cached until it expires); the completion sent to the request's
 * `model_endpoint` through a keep-alive agent; the answer relayed (JSON, or the text of each SSE event as it
 * comes). Every figure of the gateway is also a ratio to this one.
 *
 * - `BENCH_FLOOR_ISSUER`: the stand-in GitLab (its `/oauth/discovery/keys` is read once at start).
 *
 * Prints `{"port":<port>}` once listening on 127.0.0.1; `GET /monitoring/ready` answers 200.
 */

const issuer = process.env.BENCH_FLOOR_ISSUER ?? '';
const keys = new Map<string, KeyObject>();
const verified = new Map<string, number>();
const upstreamAgent = new Agent({ keepAlive: true, keepAliveMsecs: 30_000 });

function authenticated(header: string | undefined): boolean {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const nowS = Date.now() / 1000;
  const cachedExp = verified.get(token);
  if (cachedExp !== undefined) return cachedExp > nowS;
  const [head, payload, signature] = token.split('.');
  if (!head || !payload || !signature) return false;
  const { kid, alg } = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
  const key = keys.get(kid);
  if (alg !== 'RS256' || !key) return false;
  const signed = Buffer.from(`${head}.${payload}`);
  if (!verify('RSA-SHA256', signed, key, Buffer.from(signature, 'base64url'))) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (claims.iss !== issuer || !(claims.exp > nowS)) return false;
  verified.set(token, claims.exp);
  return true;
}

function complete(body: any, response: ServerResponse): void {
  const stream = body.stream === true;
  const payload = JSON.stringify({
    model: body.model_name,
    prompt: `<|fim_prefix|>${body.current_file.content_above_cursor}<|fim_suffix|>${body.current_file.content_below_cursor}<|fim_middle|>`,
    max_tokens: 128,
    temperature: 0.95,
    stream,
  });
  const upstream = request(`${body.model_endpoint}/completions`, {
    method: 'POST',
    agent: upstreamAgent,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${body.model_api_key}` },
  });
  upstream.on('response', (answer) => (stream ? relayEvents(answer, response) : relayJson(answer, response)));
  upstream.on('error', () => response.writeHead(502).end());
  response.on('close', () => upstream.destroy());
  upstream.end(payload);
}

function relayJson(answer: IncomingMessage, response: ServerResponse): void {
  const parts: Buffer[] = [];
  answer.on('data', (part: Buffer) => parts.push(part));
  answer.on('end', () => {
    const text = JSON.parse(Buffer.concat(parts).toString('utf8')).choices[0].text;
    const json = JSON.stringify({ choices: [{ text, index: 0, finish_reason: 'length' }] });
    response.writeHead(200, { 'content-type': 'application/json' }).end(json);
  });
}

function relayEvents(answer: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  let pending = '';
  answer.setEncoding('utf8');
  answer.on('data', (text: string) => {
    const events = (pending + text).split('\n\n');
    pending = events.pop()!;
    for (const event of events) {
      const data = event.startsWith('data: ') ? event.slice(6) : '';
      if (data === '' || data === '[DONE]') continue;
      const delta = JSON.parse(data).choices[0].text;
      if (delta) response.write(delta);
    }
  });
  answer.on('end', () => response.end());
}

const server = createServer((incoming, response) => {
  if (incoming.method === 'GET') return void response.writeHead(incoming.url === '/monitoring/ready' ? 200 : 404).end();
  if (!authenticated(incoming.headers.authorization)) {
    incoming.resume();
    return void response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Forbidden"}');
  }
  const parts: Buffer[] = [];
  incoming.on('data', (part: Buffer) => parts.push(part));
  incoming.on('end', () => complete(JSON.parse(Buffer.concat(parts).toString('utf8')), response));
});
server.keepAliveTimeout = 120_000;

async function main(): Promise<void> {
  const jwks = (await (await fetch(`${issuer}/oauth/discovery/keys`)).json()) as { keys: Array<{ kid: string }> };
  for (const jwk of jwks.keys) keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
  server.listen({ port: Number(process.env.BENCH_FLOOR_PORT ?? 0), host: '127.0.0.1', backlog: 8192 }, () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
}

void main();
