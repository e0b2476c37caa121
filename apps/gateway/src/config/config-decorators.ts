import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);
const SECRET = Symbol('secret-config-field');

function parseBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}

function parseNumber(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const parsed = Number(value.trim());
  return Number.isNaN(parsed) ? value : parsed;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** `true/false/1/0/yes/no/on/off`, case-insensitive. */
export const EnvBoolean = () =>
  applyDecorators(
    Transform(({ value }) => parseBoolean(value)),
    IsBoolean({ message: 'must be one of true/false/1/0/yes/no/on/off' }),
  );

/** `alternative` names another accepted form, e.g. `or auto`. */
export const EnvInt = (min: number, max: number, alternative?: string) => {
  const message = `must be an integer between ${min} and ${max}${alternative ? `, ${alternative}` : ''}`;
  return applyDecorators(
    Transform(({ value }) => parseNumber(value)),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
};

export const EnvNumber = (min: number) =>
  applyDecorators(
    Transform(({ value }) => parseNumber(value)),
    IsNumber({}, { message: `must be a number ≥ ${min}` }),
    Min(min, { message: `must be a number ≥ ${min}` }),
  );

export const EnvString = () => IsString({ message: 'must be a string' });

export const EnvOptionalString = () => applyDecorators(IsOptional(), EnvString());

export const EnvOneOf = (values: readonly string[]) =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsIn(values, { message: `must be one of ${values.join(', ')}` }),
  );

/** A JSON object, e.g. `{"<realm>": ["flag"]}`. */
export const EnvJsonObject = () =>
  applyDecorators(
    Transform(({ value }) => parseJson(value)),
    IsObject({ message: 'must be a JSON object' }),
  );

const isLimit = (limit: unknown) => Number.isInteger(limit) && (limit as number) >= 1;

/** `{"<engine>": {"<model name>": <integer ≥ 1>}}`, as GitLab's gateway reads `MODEL_ENGINE_CONCURRENCY_LIMITS`. */
export const EnvConcurrencyLimits = () =>
  applyDecorators(
    Transform(({ value }) => parseJson(value)),
    ValidateBy({
      name: 'isConcurrencyLimits',
      validator: {
        validate: (value: unknown) =>
          isPlainObject(value) &&
          Object.values(value).every((models) => isPlainObject(models) && Object.values(models).every(isLimit)),
        defaultMessage: () => 'must be a JSON object {"<engine>": {"<model name>": <integer ≥ 1>}}',
      },
    }),
  );

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\x20-\x7e]*$/;

/** An HTTP header name (an RFC 9110 token), or empty for none; lower-cased. */
export const EnvHeaderName = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    ValidateBy({
      name: 'isHeaderName',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && (value === '' || HEADER_NAME.test(value)),
        defaultMessage: () => 'must be an HTTP header name',
      },
    }),
  );

/** A JSON object of HTTP headers, `{"<name>": "<value>"}` with printable ASCII values; names lower-cased. */
export const EnvHeaders = () =>
  applyDecorators(
    Transform(({ value }) => {
      const parsed = parseJson(value);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return parsed;
      return Object.fromEntries(Object.entries(parsed).map(([name, header]) => [name.toLowerCase(), header]));
    }),
    IsObject({ message: 'must be a JSON object of header names and values' }),
    ValidateBy({
      name: 'isHeaderMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          Object.entries(value).every(
            ([name, header]) => HEADER_NAME.test(name) && typeof header === 'string' && HEADER_VALUE.test(header),
          ),
        defaultMessage: () => 'must map HTTP header names to printable ASCII string values',
      },
    }),
  );

/** A JSON list, or a comma-separated list of strings. */
export const EnvStringList = () =>
  applyDecorators(
    Transform(({ value }) => {
      if (typeof value !== 'string') return value;
      const trimmed = value.trim();
      if (trimmed.startsWith('[')) return parseJson(trimmed);
      return trimmed === ''
        ? []
        : trimmed
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean);
    }),
    IsString({ each: true, message: 'must be a JSON list of strings or a comma-separated list' }),
  );

export const Nested = (type: () => new () => object) => applyDecorators(ValidateNested(), Type(type));

/** Marks a field whose value must never be printed, not even in a config error. */
export function Secret(): PropertyDecorator {
  return (target, key) => {
    const secrets: Set<string | symbol> = Reflect.getMetadata(SECRET, target) ?? new Set();
    secrets.add(key);
    Reflect.defineMetadata(SECRET, secrets, target);
  };
}

export function isSecretField(target: object, key: string): boolean {
  const secrets: Set<string | symbol> | undefined = Reflect.getMetadata(SECRET, target);
  return secrets?.has(key) ?? false;
}
