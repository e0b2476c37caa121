import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';

/**
 * Field rules with Pydantic's wording (http-api.md §0.1). The constraint names map to Pydantic error types in
 * errors/validation-error.factory.ts; the pipe stops at the first failing rule of a field, as Pydantic does.
 */
type ClassRef = new () => object;

interface StringOptions {
  /** Pydantic's `strip_whitespace`: applied before the length check. */
  strip?: boolean;
}

const REQUIRED = { message: 'Field required' };
const STRING = { message: 'Input should be a valid string' };
const INT = { message: 'Input should be a valid integer' };
const BOOLEAN = { message: 'Input should be a valid boolean' };
const LIST = { message: 'Input should be a valid list' };
const OBJECT = { message: 'Input should be a valid dictionary' };

const stripped = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

function stringRules(maxLength: number | undefined, options: StringOptions): PropertyDecorator[] {
  return [
    ...(options.strip ? [stripped] : []),
    IsString(STRING),
    ...(maxLength === undefined
      ? []
      : [MaxLength(maxLength, { message: `String should have at most ${maxLength} characters` })]),
  ];
}

function listRules(item: ClassRef | undefined, maxItems?: number, minItems = 0): PropertyDecorator[] {
  const plural = (count: number) => (count === 1 ? 'item' : 'items');
  const actual = (args: ValidationArguments) => (args.value as unknown[]).length;
  return [
    IsArray(LIST),
    ...(minItems > 0
      ? [
          ArrayMinSize(minItems, {
            message: (args) =>
              `List should have at least ${minItems} ${plural(minItems)} after validation, not ${actual(args)}`,
          }),
        ]
      : []),
    ...(maxItems === undefined
      ? []
      : [
          ArrayMaxSize(maxItems, {
            message: (args) => `List should have at most ${maxItems} items after validation, not ${actual(args)}`,
          }),
        ]),
    ...(item ? [ValidateNested({ each: true }), Type(() => item)] : []),
  ];
}

export const RequiredString = (maxLength?: number, options: StringOptions = {}) =>
  applyDecorators(IsDefined(REQUIRED), ...stringRules(maxLength, options));

/** Absent or `null` is accepted. */
export const OptionalString = (maxLength?: number, options: StringOptions = {}) =>
  applyDecorators(IsOptional(), ...stringRules(maxLength, options));

/**
 * A model API key: it travels as an HTTP header value, so printable ASCII only (issue 15: `"a\nb"` or `"Ω"` were a
 * 503 from the HTTP client instead of a 422 naming the field). Absent or `null` is accepted.
 */
export const OptionalHeaderValue = (maxLength: number) =>
  applyDecorators(
    OptionalString(maxLength),
    Matches(/^[\x20-\x7e]*$/, {
      message: 'Value error, the key may hold only printable ASCII characters: it is sent as an HTTP header',
    }),
  );

/** An http(s) URL of at most `maxLength` characters; absent or `null` is accepted. */
export const OptionalHttpUrl = (maxLength: number) =>
  applyDecorators(
    IsOptional(),
    IsString({ message: 'URL input should be a string or URL' }),
    MaxLength(maxLength, { message: `URL should have at most ${maxLength} characters` }),
    IsUrl(
      { require_tld: false, require_protocol: true, protocols: ['http', 'https'], allow_underscores: true },
      { message: 'Input should be a valid URL' },
    ),
  );

const MESSAGE_ROLES = ['system', 'user', 'assistant'];
const isPromptMessage = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  MESSAGE_ROLES.includes((value as { role?: unknown }).role as string) &&
  typeof (value as { content?: unknown }).content === 'string';

/** A prompt given as text or as `{role, content}` messages (gitlab-versions.md §3); absent or `null` is accepted. */
export const OptionalPromptText = () =>
  applyDecorators(
    IsOptional(),
    ValidateBy({
      name: 'isPromptText',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' || (Array.isArray(value) && value.every(isPromptMessage)),
        defaultMessage: () =>
          "Input should be a valid string or a list of messages with a role ('system', 'user' or 'assistant') and a content string",
      },
    }),
  );

export const RequiredInt = () => applyDecorators(IsDefined(REQUIRED), IsInt(INT));

/** Largest count a telemetry counter takes from one request: a 32-bit IDE counter. */
const MAX_COUNT = 2 ** 31 - 1;

/**
 * A non-negative integer that goes into a Prometheus counter (issue 15: `-1` failed after the model call, with
 * "It is not possible to decrease a counter"; `1e308` is an integer to JavaScript and was counted).
 */
export const RequiredCount = () =>
  applyDecorators(
    RequiredInt(),
    Min(0, { message: 'Input should be greater than or equal to 0' }),
    Max(MAX_COUNT, { message: `Input should be less than or equal to ${MAX_COUNT}` }),
  );

export const OptionalInt = () => applyDecorators(IsOptional(), IsInt(INT));

export const OptionalBoolean = () => applyDecorators(IsOptional(), IsBoolean(BOOLEAN));

export const OptionalObject = () => applyDecorators(IsOptional(), IsObject(OBJECT));

/** One of `values`, e.g. Pydantic's `Input should be 'a', 'b' or 'c'`. */
export const OptionalOneOf = (values: readonly string[]) =>
  applyDecorators(IsOptional(), IsIn(values, { message: `Input should be ${pythonChoices(values)}` }));

export const RequiredOneOf = (values: readonly string[]) =>
  applyDecorators(IsDefined(REQUIRED), IsIn(values, { message: `Input should be ${pythonChoices(values)}` }));

export const RequiredNested = (item: ClassRef) =>
  applyDecorators(
    IsDefined(REQUIRED),
    IsObject(OBJECT),
    ValidateNested(),
    Type(() => item),
  );

export const OptionalNested = (item: ClassRef) =>
  applyDecorators(
    IsOptional(),
    IsObject(OBJECT),
    ValidateNested(),
    Type(() => item),
  );

export const RequiredList = (item: ClassRef, maxItems?: number, minItems = 0) =>
  applyDecorators(IsDefined(REQUIRED), ...listRules(item, maxItems, minItems));

/** A list whose items are tagged unions, validated one by one by the caller. */
export const RequiredTaggedList = (maxItems: number, minItems: number) =>
  applyDecorators(IsDefined(REQUIRED), ...listRules(undefined, maxItems, minItems));

export const OptionalList = (item: ClassRef, maxItems?: number) =>
  applyDecorators(IsOptional(), ...listRules(item, maxItems));

/** A tag field of a tagged union: checked by the union itself, kept by the whitelist. */
export const UnionTag = () => Allow();

function pythonChoices(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
