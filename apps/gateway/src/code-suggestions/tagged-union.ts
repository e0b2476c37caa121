import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppError, ErrorCode } from '@app/common';
import { flattenValidationErrors, ValidationIssue } from '../errors/validation-error.factory';
import { maskSecretValue } from '../logging/secret-mask';
import { pythonRepr } from '../streaming/python-format';

/** A Pydantic discriminated union: the value of `discriminator` picks the class that validates the rest. */
export interface TaggedUnion<T extends object> {
  discriminator: string;
  variants: ReadonlyMap<unknown, new () => T>;
}

type Loc = Array<string | number>;

/** Union tag errors also carry Pydantic's `ctx`. */
type Issue = ValidationIssue & { ctx?: Record<string, string> };

/**
 * Validates `input` as one variant of `union`. Issues carry Pydantic's loc, with the tag after `loc`
 * (`["body", 2, "model_name"]`); a missing tag is `union_tag_not_found`, an unknown one (the string `"2"`
 * for the number 2 included) `union_tag_invalid`.
 */
export function parseTaggedUnion<T extends object>(
  input: unknown,
  union: TaggedUnion<T>,
  loc: Loc,
): { value: T; issues: [] } | { value?: undefined; issues: Issue[] } {
  const { discriminator, variants } = union;
  const ctx = { discriminator: `'${discriminator}'` };
  const tag = isRecord(input) ? input[discriminator] : undefined;
  if (tag === undefined) {
    const msg = `Unable to extract tag using discriminator '${discriminator}'`;
    return { issues: [{ type: 'union_tag_not_found', loc, msg, input: maskSecretValue(input), ctx }] };
  }
  const variant = variants.get(tag);
  if (!variant) {
    const text = typeof tag === 'string' ? tag : pythonRepr(tag);
    const expected = [...variants.keys()].map((key) => String(key)).join(', ');
    const msg = `Input tag '${text}' found using '${discriminator}' does not match any of the expected tags: ${expected}`;
    const issue = {
      type: 'union_tag_invalid',
      loc,
      msg,
      input: maskSecretValue(input),
      ctx: { ...ctx, tag: text, expected_tags: expected },
    };
    return { issues: [issue] };
  }
  const value = plainToInstance(variant, input);
  const errors = validateSync(value, { whitelist: true, stopAtFirstError: true, forbidUnknownValues: false });
  if (errors.length === 0) return { value, issues: [] };
  return { issues: flattenValidationErrors(errors, [...loc, tag as string | number]) };
}

/** The 422 of a body that failed validation, in the Pydantic list shape. */
export function invalidBody(issues: ValidationIssue[]): AppError {
  return new AppError(ErrorCode.InvalidInput, issues[0]?.msg ?? 'Invalid input', { details: issues });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
