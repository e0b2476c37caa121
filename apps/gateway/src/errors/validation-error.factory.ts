import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { maskSecretValue } from '../logging/secret-mask';

/** One entry of a Pydantic v2 error list (http-api.md §0.1); `input` has its secrets masked (see {@link maskSecretValue}). */
export interface ValidationIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
}

const TYPES: Record<string, string> = {
  isDefined: 'missing',
  isNotEmpty: 'missing',
  isString: 'string_type',
  isInt: 'int_type',
  isNumber: 'float_type',
  isBoolean: 'bool_type',
  isArray: 'list_type',
  isObject: 'dict_type',
  maxLength: 'string_too_long',
  arrayMaxSize: 'too_long',
  arrayMinSize: 'too_short',
  isIn: 'enum',
  isEnum: 'enum',
  isUrl: 'url_parsing',
  min: 'greater_than_equal',
  max: 'less_than_equal',
};

export function flattenValidationErrors(errors: ValidationError[], loc: Array<string | number>): ValidationIssue[] {
  return errors.flatMap((error) => {
    const here = [...loc, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    const own = Object.entries(error.constraints ?? {}).map(([name, msg]) => ({
      type: TYPES[name] ?? 'value_error',
      loc: here,
      msg,
      input: maskSecretValue(error.value, error.property),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], here)];
  });
}

/** `ValidationPipe` exception factory: 422 with the Pydantic-shaped list. */
function validationExceptionFactory(errors: ValidationError[]): AppError {
  const issues = flattenValidationErrors(errors, ['body']);
  return new AppError(ErrorCode.InvalidInput, issues[0]?.msg ?? 'Invalid input', { details: issues });
}

/** The global body pipe: unknown fields dropped, one issue per field (as Pydantic reports), the 422 list. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: validationExceptionFactory,
  });
}
