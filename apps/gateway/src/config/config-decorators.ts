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
