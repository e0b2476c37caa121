import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '@app/common';
import { nestsDeeperThan } from './json-depth';
import { findJsonSyntaxError } from './json-syntax-error';

/** Own keys that would rewrite an object's prototype or class when a body becomes a DTO instance. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** No contract body nests past about 8 levels (issue 15). */
const MAX_DEPTH = 64;

/**
 * The body of every request, whatever its Content-Type (gitlab-versions.md §5): empty is no body (Rails sends
 * `POST /v1/code/user_access_token` as `application/json` without one), JSON when the type is JSON or missing
 * (as FastAPI reads it), else the text, which validation then refuses. Malformed JSON is FastAPI's 422
 * `json_invalid` (§4a), never the framework's 400.
 */
export function parseRequestBody(contentType: string | undefined, body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  if (!isJsonType(contentType)) return text;
  if (nestsDeeperThan(body, MAX_DEPTH)) throw tooDeep();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw jsonInvalid(text, error);
  }
  assertNoForbiddenKeys(value);
  return value;
}

function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === '' || type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function tooDeep(): AppError {
  const msg = `Value error, the body nests arrays and objects deeper than ${MAX_DEPTH} levels`;
  return new AppError(ErrorCode.InvalidInput, msg, {
    details: [{ type: 'value_error', loc: ['body'], msg, input: {} }],
  });
}

function jsonInvalid(text: string, error: unknown): AppError {
  const found = findJsonSyntaxError(text) ?? { index: 0, reason: (error as Error).message };
  const offset = Buffer.byteLength(text.slice(0, found.index));
  const issue = {
    type: 'json_invalid',
    loc: ['body', offset],
    msg: 'JSON decode error',
    input: {},
    ctx: { error: found.reason },
  };
  return new AppError(ErrorCode.InvalidInput, 'JSON decode error', { details: [issue] });
}

/**
 * An own `constructor` or `__proto__` key made class-transformer throw (500) or swap a DTO's prototype
 * (issue 15): refused as 422 naming where it is. Iterative, so a deeply nested body cannot overflow the stack.
 */
function assertNoForbiddenKeys(root: unknown): void {
  const pending: Array<{ value: unknown; loc: Array<string | number> }> = [{ value: root, loc: ['body'] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, loc } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, loc: [...loc, index] }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) throw forbiddenKey([...loc, key], item);
      pending.push({ value: item, loc: [...loc, key] });
    }
  }
}

function forbiddenKey(loc: Array<string | number>, input: unknown): AppError {
  const name = String(loc.at(-1));
  const msg = `Value error, a field may not be named ${name}`;
  const issue = { type: 'value_error', loc, msg, input: typeof input === 'object' ? {} : input };
  return new AppError(ErrorCode.InvalidInput, msg, { details: [issue] });
}

/** Makes {@link parseRequestBody} the only body parser, for every Content-Type (Fastify's own are removed). */
export function installRequestBodyParser(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().removeAllContentTypeParsers();
  // Nest completes a two-argument parser through the promise it returns.
  app.useBodyParser('*', {}, async (request: FastifyRequest, body: Buffer) =>
    parseRequestBody(request.headers['content-type'], body),
  );
}
