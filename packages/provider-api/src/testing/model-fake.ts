import { IncomingHttpHeaders } from 'node:http';
import { ScriptedModelServer } from './scripted-model-server';

/** One tool call the fake model makes; `arguments` is JSON text. */
export interface FakeToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * What the fake answers to one request, independent of the wire format. Streaming or not follows the request
 * (`stream: true`, or Bedrock's `converse-stream`). With nothing else set the reply is the text `ok`.
 */
export interface FakeReply {
  /** Whole text; streamed as one chunk unless `chunks` is given. */
  text?: string;
  /** Text deltas, one stream event each (their concatenation is the non-streaming text). */
  chunks?: string[];
  toolCalls?: FakeToolCall[];
  /** Wire value, e.g. `length`; default: the format's "stop" (or its tool-call reason). */
  finishReason?: string;
  usage?: { inputTokens: number; outputTokens: number };
  /** Answer this non-2xx status with the format's error body. */
  status?: number;
  errorMessage?: string;
  /** Raw JSON error body, instead of the format's. */
  errorBody?: unknown;
  retryAfter?: string;
  /** Wait this long before the status line. */
  delayMs?: number;
  /** Answer only once this settles (e.g. to hold requests open for pool tests). */
  hold?: Promise<unknown>;
  /** Never send the status line. */
  stall?: boolean;
  /**
   * Stream this many wire events, then send nothing more and keep the connection open. Events include the
   * format's preamble: OpenAI chat sends a role-only delta first (text completions do not); Anthropic sends
   * `message_start`, `ping` and `content_block_start`; Bedrock sends `messageStart`.
   */
  stallAfterChunks?: number;
  /** Stream `count` wire events (counted as for `stallAfterChunks`), then wait for `until` before the rest. */
  pauseAfterChunks?: { count: number; until: Promise<unknown> };
  /** Stream this many wire events (counted as for `stallAfterChunks`), then destroy the connection. */
  cutAfterChunks?: number;
  /** After the text, an error object inside the 200 stream. */
  streamError?: string;
  /** End the stream without the format's terminator. */
  omitTerminator?: boolean;
  /** Stream every event of the reply, then send nothing more and keep the connection open (no terminator). */
  stallBeforeTerminator?: boolean;
  /** A 200 body written verbatim, one write per item, instead of the encoded reply (streamed or not). */
  rawBody?: Array<string | Buffer>;
  /**
   * After the head and whatever body comes first (`rawBody`, or the stream's events; nothing for a whole reply or
   * an error `status`), write this again and again until the client closes the connection.
   */
  endlessBody?: string | Buffer;
}

export type ReplyScript = FakeReply | ((request: RecordedRequest) => FakeReply);

export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names, as Node gives them. */
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body; `undefined` when the body is not JSON. */
  body: any;
  /** Client port of the TCP connection that carried the request (one per pooled connection). */
  remotePort: number;
  /** Settles when the exchange ends: `aborted` if the connection closed before the reply was complete. */
  closed: Promise<'finished' | 'aborted'>;
}

export interface EncodedResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface EncodedStream {
  contentType: string;
  /** Events carrying the reply, then the error event if any. */
  events: Array<string | Buffer>;
  terminator: Array<string | Buffer>;
}

/** How one wire format turns a {@link FakeReply} into bytes. */
export interface WireFormat {
  /** Whether this request asks for a stream; `undefined` = not a route of this format (404). */
  route(request: RecordedRequest): { stream: boolean } | undefined;
  /** The answer to a request whose credentials the real server would refuse; `undefined` lets it through. */
  authenticate?(request: RecordedRequest): EncodedResponse | undefined;
  reply(reply: FakeReply, request: RecordedRequest): EncodedResponse;
  stream(reply: FakeReply, request: RecordedRequest): EncodedStream;
  error(reply: FakeReply): EncodedResponse;
}

/** The handle tests hold on a running fake. */
export interface ModelFake {
  /** The endpoint (`api_base`) to configure. */
  url: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Every request so far, oldest first. */
  requests: RecordedRequest[];
  /** Replies for the next requests, in order; the last one keeps answering. Default: the text `ok`. */
  script(...replies: ReplyScript[]): void;
  /** Resolves once `count` requests have arrived in total. */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Distinct TCP connections that carried requests. */
  readonly connectionCount: number;
  /** Most requests open at the same time so far. */
  readonly peakInFlight: number;
  /** Resolves once at most `count` TCP connections to the fake are open. */
  waitForOpenConnections(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a fake speaking `format` on an ephemeral loopback port; `url` is the origin plus `basePath`. */
export async function startModelFake(format: WireFormat, basePath = ''): Promise<ModelFake> {
  const server = new ScriptedModelServer(format);
  const origin = await server.listen();
  return {
    url: `${origin}${basePath}`,
    origin,
    requests: server.requests,
    script: (...replies) => server.script(...replies),
    waitForRequests: (count) => server.waitForRequests(count),
    get connectionCount() {
      return server.connectionCount;
    },
    get peakInFlight() {
      return server.peakInFlight;
    },
    waitForOpenConnections: (count) => server.waitForOpenConnections(count),
    close: () => server.close(),
  };
}
