import { IncomingHttpHeaders, STATUS_CODES } from 'node:http';
import { AppError, ErrorCode } from './app-error';

const MAX_MESSAGE_LENGTH = 1000;
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CUT_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);

/** Before the status line arrived, or while the body was being read. */
export type CallPhase = 'request' | 'response';

/** A non-2xx answer, with the upstream's own message. */
export function statusError(status: number, headers: IncomingHttpHeaders, body: string): AppError {
  const message = upstreamMessage(body) ?? STATUS_CODES[status] ?? 'no message';
  return errorForStatus(status, message, retryAfterSeconds(headers['retry-after']));
}

export function errorForStatus(status: number, message: string, retryAfterS?: number): AppError {
  if (status === 429) {
    return new AppError(ErrorCode.ModelRateLimited, `Model server rate limit (429): ${message}`, {
      upstreamStatus: status,
      retryAfterS,
    });
  }
  if (status >= 500) {
    const failed = `Model server failed (${status}): ${message}`;
    return new AppError(ErrorCode.ModelFailed, failed, { upstreamStatus: status });
  }
  return new AppError(ErrorCode.ModelRejected, `Model server rejected the request (${status}): ${message}`, {
    upstreamStatus: status,
  });
}

/** A failure below HTTP: refused, reset, timed out, cut short. */
export function transportError(error: unknown, phase: CallPhase): AppError {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const detail = code || (error instanceof Error ? error.name : 'unknown error');
  if (TIMEOUT_CODES.has(code)) {
    const silent = `Model server went silent past the read timeout (${code})`;
    return new AppError(ErrorCode.ModelTimeout, silent, { cause: error });
  }
  if (phase === 'response' && CUT_CODES.has(code)) {
    return new AppError(ErrorCode.ModelMalformed, `Model server closed the connection mid-response (${code})`, {
      cause: error,
    });
  }
  return new AppError(ErrorCode.ModelUnreachable, `Model server unreachable (${detail})`, { cause: error });
}

export function malformed(what: string): AppError {
  return new AppError(ErrorCode.ModelMalformed, `Model server sent a malformed response: ${what}`);
}

/**
 * A streamed event past `MAX_STREAM_EVENT_SIZE`: malformed for HTTP callers; the agent platform reports it as the
 * outgoing message it could never send (agent-platform.md §4.2).
 */
export class StreamEventTooLarge extends AppError {
  constructor(what: string) {
    super(ErrorCode.ModelMalformed, `Model server sent a malformed response: ${what}`);
    this.name = 'StreamEventTooLarge';
  }
}

export function parseUpstreamJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw malformed(`${what} is not valid JSON`);
  }
}

/** The message of the usual error bodies: OpenAI/Anthropic `{error: {type, message}}`, vLLM/Bedrock `{message}`. */
export function upstreamMessage(body: string): string | undefined {
  const trimmed = body.trim();
  if (trimmed === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return trimmed.slice(0, MAX_MESSAGE_LENGTH);
  }
  return messageOf(parsed)?.slice(0, MAX_MESSAGE_LENGTH) ?? trimmed.slice(0, MAX_MESSAGE_LENGTH);
}

export function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const { error, message, detail, type } = value as Record<string, unknown>;
  if (error !== undefined) return messageOf(error);
  const text = typeof message === 'string' ? message : typeof detail === 'string' ? detail : undefined;
  if (text === undefined) return undefined;
  return typeof type === 'string' && type !== 'error' ? `${type}: ${text}` : text;
}

/** `retry-after` as seconds or an HTTP date. */
function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
