import { AppError, ErrorCode } from '@app/common';
import { EmbeddingsConfig } from '../config';

/** Enough to see the rule; a list of a thousand identical entries helps nobody. */
const MAX_ITEM_ISSUES = 10;

interface LimitIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  ctx: Record<string, unknown>;
}

/**
 * `contents` within `AIGW_EMBEDDINGS__MAX_CONTENTS` items of `__MAX_CONTENT_CHARS` characters, else a 422 in
 * Pydantic's shape and words (http-api.md §0.1). The offending input is not echoed: it may be megabytes of code.
 */
export function checkContentLimits(contents: string[], limits: EmbeddingsConfig): void {
  const issues: LimitIssue[] = [];
  if (contents.length === 0) {
    issues.push({
      type: 'too_short',
      loc: ['body', 'contents'],
      msg: 'List should have at least 1 item after validation, not 0',
      ctx: { field_type: 'List', min_length: 1, actual_length: 0 },
    });
  }
  if (contents.length > limits.maxContents) {
    issues.push({
      type: 'too_long',
      loc: ['body', 'contents'],
      msg: `List should have at most ${limits.maxContents} items after validation, not ${contents.length}`,
      ctx: { field_type: 'List', max_length: limits.maxContents, actual_length: contents.length },
    });
  }
  const tooLong = contents.flatMap((content, index) => (content.length > limits.maxContentChars ? [index] : []));
  for (const index of tooLong.slice(0, MAX_ITEM_ISSUES)) {
    issues.push({
      type: 'string_too_long',
      loc: ['body', 'contents', index],
      msg: `String should have at most ${limits.maxContentChars} characters`,
      ctx: { max_length: limits.maxContentChars },
    });
  }
  if (issues.length > 0) throw new AppError(ErrorCode.InvalidInput, issues[0].msg, { details: issues });
}
