import { AppError, ErrorCode } from '@app/common';
import { parseRequestBody } from './request-body-parser';

const body = (text: string) => Buffer.from(text, 'utf8');

function failureOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a failure');
}

describe(parseRequestBody.name, () => {
  it.each(['application/json', 'text/plain', 'application/octet-stream', undefined])(
    'takes an empty body with Content-Type %s as no body (gitlab-versions.md §5)',
    (type) => {
      expect(parseRequestBody(type, Buffer.alloc(0))).toBeUndefined();
    },
  );

  it.each(['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json', undefined])(
    'parses JSON for Content-Type %s',
    (type) => {
      expect(parseRequestBody(type, body('{"a": [1]}'))).toEqual({ a: [1] });
    },
  );

  it('passes other types on as text, for validation to refuse', () => {
    expect(parseRequestBody('text/plain', body('{"a": 1}'))).toBe('{"a": 1}');
  });

  it("answers malformed JSON with FastAPI's json_invalid at the byte offset (gitlab-versions.md §4a)", () => {
    const failure = failureOf(() => parseRequestBody('application/json', body('{"é": x}')));
    expect(failure.code).toBe(ErrorCode.InvalidInput);
    expect(failure.details).toEqual([
      {
        type: 'json_invalid',
        loc: ['body', 7],
        msg: 'JSON decode error',
        input: {},
        ctx: { error: 'Expecting value' },
      },
    ]);
  });

  it.each([
    ['{"constructor": {"a": 1}}', ['body', 'constructor']],
    ['{"payload": {"__proto__": {"x": 1}}}', ['body', 'payload', '__proto__']],
    [
      '{"prompt_components": [{"payload": {"constructor": 1}}]}',
      ['body', 'prompt_components', 0, 'payload', 'constructor'],
    ],
  ])('refuses the own key in %s with 422 naming where it is (issue 15)', (text, loc) => {
    const failure = failureOf(() => parseRequestBody('application/json', body(text)));
    expect(failure.code).toBe(ErrorCode.InvalidInput);
    expect(failure.details).toEqual([
      expect.objectContaining({ type: 'value_error', loc, msg: `Value error, a field may not be named ${loc.at(-1)}` }),
    ]);
  });

  it.each([65, 3_000, 100_000])(
    'refuses JSON nested %i levels deep with 422 before anything else reads it',
    (levels) => {
      const failure = failureOf(() =>
        parseRequestBody('application/json', body(`{"a": ${'['.repeat(levels)}${']'.repeat(levels)}}`)),
      );
      expect(failure.code).toBe(ErrorCode.InvalidInput);
      expect(failure.details).toEqual([expect.objectContaining({ type: 'value_error', loc: ['body'] })]);
    },
  );

  it('takes JSON nested 64 levels deep', () => {
    expect(parseRequestBody('application/json', body(`${'['.repeat(64)}${']'.repeat(64)}`))).toBeDefined();
  });
});
