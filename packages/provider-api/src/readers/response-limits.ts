const MiB = 1024 * 1024;

/**
 * Most a whole (non-streamed) model response may hold. Answers are a few KiB; the endpoint may be chosen by the
 * caller, so without a bound one server could make the gateway buffer without end.
 */
export const MAX_RESPONSE_BYTES = 16 * MiB;

/** Most one streamed event may hold: an SSE line or one event's data (characters), an AWS event-stream message. */
export const MAX_STREAM_EVENT_SIZE = 4 * MiB;

/** Of an error answer only the message is kept (`upstreamMessage`: 1000 characters at most), so little is read. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** A response body as undici (and the Bedrock handler) hand it over. */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
}

/**
 * An upstream answer past one of the limits above. Thrown from the body stream, so it may pass through a client
 * library (the AWS SDK edits `message` on the way); `UpstreamCall.failure` turns it into `model_malformed`.
 */
export class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';

  /** `what` completes "Model server sent a malformed response: …". */
  constructor(readonly what: string) {
    super(what);
  }
}

/** "16 MiB", "64 KiB", "100 bytes". */
export function sizeText(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * The body's chunks as they come, until more than `maxBytes` arrived in total: then it stops reading and throws.
 * Leaving the loop (thrown or returned) destroys the body, which closes the upstream connection.
 */
export async function* limitBytes(body: ResponseBody, maxBytes: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new ResponseTooLarge(`the response body is larger than ${sizeText(maxBytes)}`);
      yield chunk;
    }
  } finally {
    body.destroy();
  }
}

/**
 * A whole answer that did not fit in the process-wide budget of buffered answers; {@link UpstreamCall.failure}
 * makes it a `model_failed`.
 */
export class ResponseBudgetExceeded extends Error {
  override readonly name = 'ResponseBudgetExceeded';

  constructor(budget: { describe(): string }) {
    super(`the model answers this gateway holds in memory would exceed ${budget.describe()}`);
  }
}

/** What {@link readBodyText} holds its bytes against (the gateway's `ResponseBudget`). */
export interface ByteBudget {
  take(bytes: number): boolean;
  giveBack(bytes: number): void;
}

/**
 * A whole body as UTF-8 text (a byte order mark dropped, as `body.text()` does); throws past `maxBytes`, or when
 * `budget` has no room for the next chunk (`onOverBudget()` says with what). The bytes go back once decoded.
 */
export async function readBodyText(
  body: ResponseBody,
  budget: ByteBudget,
  onOverBudget: () => Error,
  maxBytes = MAX_RESPONSE_BYTES,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let taken = 0;
  try {
    for await (const chunk of limitBytes(body, maxBytes)) {
      if (!budget.take(chunk.byteLength)) throw onOverBudget();
      taken += chunk.byteLength;
      chunks.push(chunk);
    }
    return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
  } finally {
    budget.giveBack(taken);
  }
}

/**
 * The first `maxBytes` of a body as text, for error answers whose message is all that is used; the rest is not
 * read (the connection is closed instead). A multi-byte character cut at the end becomes U+FFFD.
 */
export async function readBodyStart(body: ResponseBody, maxBytes = MAX_ERROR_BODY_BYTES): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      size += chunk.byteLength;
      if (size >= maxBytes) break;
    }
  } finally {
    body.destroy();
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}
