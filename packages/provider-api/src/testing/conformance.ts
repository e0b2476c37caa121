import { createServer } from 'node:net';
import { AppError, ErrorCode } from '../errors/app-error';
import { Chunk, FinishReason, ModelProvider, ModelRequest, ModelTarget } from '../model-types';
import { ModelProviderDefinition, ProviderHttp } from '../provider-definition';
import { LoopbackHttp } from './loopback-http';
import { ModelFake } from './model-fake';

/** What a provider gets at registration besides the context, once the stand-in runs. */
export interface ConformanceEnvironment {
  /** The transport handed to the provider; default: {@link LoopbackHttp}. */
  http?: ProviderHttp;
  /** Instances for the definition's `inject` tokens, in order. */
  injected?: unknown[];
  /** Runs after the suite (close pools and the like). */
  close?(): Promise<void>;
}

export interface ConformanceSubject<Fake extends ModelFake = ModelFake> {
  /** The definition under test, as the provider package exports it. */
  definition: ModelProviderDefinition;
  /**
   * Starts a stand-in for the upstream speaking its real wire format, streaming included: usually
   * `startModelFake(new MyWireFormat())`.
   */
  standIn(): Promise<Fake>;
  /** The target of a request; `url` is the stand-in's endpoint, `apiKey` a key the kit watches for in errors and logs. */
  target(url: string, apiKey: string): ModelTarget;
  environment?(standIn: Fake): ConformanceEnvironment;
  /** Wire finish reasons and the canonical ones they must read as. */
  finishReasons: ReadonlyArray<readonly [wire: string, canonical: FinishReason]>;
  /** Whether the provider calls tools (default true). */
  tools?: boolean;
  /** Whether the target names the endpoint (default true); false: the provider's own settings say where (Bedrock). */
  namesEndpoint?: boolean;
  /** Whether the upstream's `retry-after` reaches `retryAfterS` (default true). */
  retryAfter?: boolean;
  /**
   * How one stream event is framed, to send one that never ends: `sse` (default) or `ndjson`. `binary` framings
   * (AWS event streams) are left to the provider's own spec.
   */
  streamFraming?: 'sse' | 'ndjson' | 'binary';
}

const API_KEY = 'sk-conformance-0123456789abcdef';
const REQUEST: ModelRequest = {
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Say hello.' },
  ],
  maxTokens: 32,
};
const TOOL = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object' } };
const CALLS = [
  { id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
  { id: 'call_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
];
const ENDLESS = 'x'.repeat(64 * 1024);
const OPEN_EVENT = { sse: 'data: {"text": "', ndjson: '{"text": "' };

/**
 * The behaviour every model provider owes the gateway, as a jest suite against a stand-in of its upstream: whole
 * and streamed text, tool calls with streamed argument deltas, finish reasons, usage, the error mapping of 4xx,
 * 429 and 5xx, an error inside a 200 stream, a missing terminator, an oversized answer, abort closing the upstream
 * connection, and no API key in errors or logs. Call it at the top level of a spec file.
 */
export function describeProviderConformance<Fake extends ModelFake>(
  title: string,
  subject: ConformanceSubject<Fake>,
): void {
  describe(`${title} (provider conformance)`, () => {
    let fake: Fake;
    let environment: ConformanceEnvironment;
    let provider: ModelProvider;
    let target: ModelTarget;
    const logged: string[] = [];

    beforeAll(async () => {
      fake = await subject.standIn();
      environment = subject.environment?.(fake) ?? {};
      const logger = { log: (line: string) => logged.push(line), warn: (line: string) => logged.push(line) };
      const context = { http: environment.http ?? new LoopbackHttp(), logger };
      provider = subject.definition.create(context, ...((environment.injected ?? []) as never[]));
      target = subject.target(fake.url, API_KEY);
    });

    afterAll(async () => {
      await environment?.close?.();
      await fake?.close();
    });

    beforeEach(() => fake.script());

    it('answers whole text with its finish reason and usage', async () => {
      fake.script({ text: 'Hello there.', usage: { inputTokens: 11, outputTokens: 3 } });
      expect(await provider.generate(target, REQUEST)).toEqual({
        text: 'Hello there.',
        toolCalls: [],
        finishReason: 'stop',
        usage: { inputTokens: 11, outputTokens: 3 },
      });
    });

    it('streams text deltas, then usage, then one finish chunk last', async () => {
      fake.script({ chunks: ['Hel', 'lo', ' there.'], usage: { inputTokens: 11, outputTokens: 3 } });
      const chunks = await collect(provider.stream(target, REQUEST));
      expect(chunks.filter((chunk) => chunk.type === 'text')).toEqual(
        ['Hel', 'lo', ' there.'].map((text) => ({ type: 'text', text })),
      );
      expect(chunks.slice(-2)).toEqual([
        { type: 'usage', usage: { inputTokens: 11, outputTokens: 3 } },
        { type: 'finish', reason: 'stop' },
      ]);
      expect(chunks.filter((chunk) => chunk.type === 'finish')).toHaveLength(1);
    });

    if (subject.tools !== false) {
      it('reads tool calls from a whole answer', async () => {
        fake.script({ toolCalls: CALLS });
        const completion = await provider.generate(target, { ...REQUEST, tools: [TOOL] });
        expect(completion).toMatchObject({ toolCalls: CALLS, finishReason: 'tool_calls' });
      });

      it('streams tool calls as indexed argument deltas: id and name first, the arguments in pieces', async () => {
        fake.script({ toolCalls: CALLS });
        const chunks = await collect(provider.stream(target, { ...REQUEST, tools: [TOOL] }));
        const calls = chunks.filter((chunk) => chunk.type === 'tool_call');
        CALLS.forEach((call, index) => {
          const pieces = calls.filter((chunk) => chunk.index === index);
          expect(pieces[0]).toMatchObject({ id: call.id, name: call.name });
          expect(pieces.filter((piece) => piece.argumentsDelta !== '').length).toBeGreaterThan(1);
          expect(pieces.map((piece) => piece.argumentsDelta).join('')).toBe(call.arguments);
        });
        expect(calls.every((chunk) => chunk.index < CALLS.length)).toBe(true);
        expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
      });
    }

    it.each(subject.finishReasons.map(([wire, canonical]) => [wire, canonical]))(
      'reads the finish reason %s as %s, whole and streamed',
      async (wire, canonical) => {
        fake.script({ text: 'cut', finishReason: wire });
        expect((await provider.generate(target, REQUEST)).finishReason).toBe(canonical);
        expect((await collect(provider.stream(target, REQUEST))).at(-1)).toEqual({ type: 'finish', reason: canonical });
      },
    );

    it.each([
      [400, ErrorCode.ModelRejected],
      [403, ErrorCode.ModelRejected],
      [404, ErrorCode.ModelRejected],
      [500, ErrorCode.ModelFailed],
      [503, ErrorCode.ModelFailed],
    ])('maps an upstream %i to %s with the upstream status and message, whole and streamed', async (status, code) => {
      fake.script({ status, errorMessage: `scripted failure ${status}` });
      for (const failure of [await failureOf(provider.generate(target, REQUEST)), await streamFailure()]) {
        expect(failure).toBeInstanceOf(AppError);
        expect(failure).toMatchObject({ code, upstreamStatus: status });
        expect(failure.message).toContain(`scripted failure ${status}`);
      }
    });

    it('maps 429 to rate limited', async () => {
      fake.script({ status: 429, retryAfter: '7', errorMessage: 'slow down' });
      for (const failure of [await failureOf(provider.generate(target, REQUEST)), await streamFailure()]) {
        expect(failure).toMatchObject({ code: ErrorCode.ModelRateLimited, upstreamStatus: 429 });
        if (subject.retryAfter !== false) expect(failure.retryAfterS).toBe(7);
      }
    });

    it('fails on an error inside a 200 stream, after the text before it', async () => {
      fake.script({ chunks: ['par', 'tial'], streamError: 'the model crashed' });
      const { chunks, failure } = await readUntilFailure(provider.stream(target, REQUEST));
      expect(chunks.filter((chunk) => chunk.type === 'text').map((chunk) => chunk.text)).toEqual(['par', 'tial']);
      expect(failure).toBeInstanceOf(AppError);
      expect(failure?.code).toBe(ErrorCode.ModelFailed);
      expect(failure?.message).toContain('the model crashed');
    });

    it('fails as malformed when the stream ends without its terminator, after the text before it', async () => {
      fake.script({ chunks: ['a', 'b'], omitTerminator: true });
      const { chunks, failure } = await readUntilFailure(provider.stream(target, REQUEST));
      expect(chunks.filter((chunk) => chunk.type === 'text')).toHaveLength(2);
      expect(chunks.some((chunk) => chunk.type === 'finish')).toBe(false);
      expect(failure).toMatchObject({ code: ErrorCode.ModelMalformed });
    });

    it('stops reading a whole answer past 16 MiB, closes the connection and reports it malformed', async () => {
      fake.script({ rawBody: ['{"text": "'], endlessBody: ENDLESS });
      expect(await failureOf(provider.generate(target, REQUEST))).toMatchObject({
        code: ErrorCode.ModelMalformed,
        message: 'Model server sent a malformed response: the response body is larger than 16 MiB',
      });
      expect(await fake.requests.at(-1)!.closed).toBe('aborted');
    });

    const framing = subject.streamFraming ?? 'sse';
    if (framing !== 'binary') {
      it('stops reading a stream event that never ends past 4 MiB, closes the connection and reports it malformed', async () => {
        fake.script({ rawBody: [OPEN_EVENT[framing]], endlessBody: ENDLESS });
        const { failure } = await readUntilFailure(provider.stream(target, REQUEST));
        expect(failure).toMatchObject({ code: ErrorCode.ModelMalformed });
        expect(failure?.message).toMatch(/longer than 4194304 characters$/);
        expect(await fake.requests.at(-1)!.closed).toBe('aborted');
      });
    }

    it('closes the upstream connection at once when the caller aborts a stream', async () => {
      fake.script({ chunks: ['first'], stallBeforeTerminator: true });
      const controller = new AbortController();
      const chunks = provider.stream(target, { ...REQUEST, signal: controller.signal })[Symbol.asyncIterator]();
      expect(await nextText(chunks)).toBe('first');
      const next = chunks.next().catch((error: unknown) => error);
      controller.abort();
      expect(await fake.requests.at(-1)!.closed).toBe('aborted');
      expect(await next).toMatchObject({ code: ErrorCode.Cancelled });
    });

    it('closes the upstream connection when the caller stops reading early', async () => {
      fake.script({ chunks: ['first'], stallBeforeTerminator: true });
      for await (const chunk of provider.stream(target, REQUEST)) if (chunk.type === 'text') break;
      expect(await fake.requests.at(-1)!.closed).toBe('aborted');
    });

    it('aborts a whole request still waiting for its answer', async () => {
      fake.script({ stall: true });
      const controller = new AbortController();
      const pending = failureOf(provider.generate(target, { ...REQUEST, signal: controller.signal }));
      await fake.waitForRequests(fake.requests.length + 1);
      controller.abort();
      expect(await pending).toMatchObject({ code: ErrorCode.Cancelled });
      expect(await fake.requests.at(-1)!.closed).toBe('aborted');
    });

    it('times out past the request budget (timeoutS)', async () => {
      fake.script({ stall: true });
      const failure = await failureOf(provider.generate(target, { ...REQUEST, timeoutS: 0.2 }));
      expect(failure).toMatchObject({ code: ErrorCode.ModelTimeout });
    });

    if (subject.namesEndpoint !== false) {
      it('reports a server that refuses connections as unreachable', async () => {
        const closedUrl = fake.url.replace(fake.origin, `http://127.0.0.1:${await closedPort()}`);
        const failure = await failureOf(provider.generate(subject.target(closedUrl, API_KEY), REQUEST));
        expect(failure).toMatchObject({ code: ErrorCode.ModelUnreachable });
      });
    }

    it('never puts the API key into an error or the log', async () => {
      const failures: AppError[] = [];
      for (const reply of [{ status: 401, errorMessage: 'bad key' }, { status: 500 }, { rawBody: ['not json'] }]) {
        fake.script(reply);
        failures.push(await failureOf(provider.generate(target, REQUEST)), await streamFailure());
      }
      expect(failures.map(describeError).filter((text) => text.includes(API_KEY))).toEqual([]);
      expect(logged.filter((line) => line.includes(API_KEY))).toEqual([]);
    });

    function streamFailure(): Promise<AppError> {
      return failureOf(collect(provider.stream(target, REQUEST)));
    }
  });
}

/** Every item of an async iterable (a provider's chunk stream), in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Reads a stream until it fails; what came before the failure matters as much as the failure. */
export async function readUntilFailure(items: AsyncIterable<Chunk>): Promise<{ chunks: Chunk[]; failure?: AppError }> {
  const chunks: Chunk[] = [];
  try {
    for await (const chunk of items) chunks.push(chunk);
    return { chunks };
  } catch (error) {
    return { chunks, failure: error as AppError };
  }
}

async function failureOf(pending: Promise<unknown>): Promise<AppError> {
  try {
    await pending;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

async function nextText(chunks: AsyncIterator<Chunk>): Promise<string> {
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    if (next.value.type === 'text') return next.value.text;
  }
  throw new Error('the stream ended without text');
}

/** The message, the JSON form and every cause's message of an error. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    parts.push(cause instanceof Error ? `${cause.message} ${jsonOf(cause)}` : String(cause));
  }
  return parts.join('\n');
}

function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '';
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
