import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
  ValidateIf,
} from 'class-validator';
import { isDisciplineCode, isIndustryCode, isRegionCode } from '@app/taxonomy';
import { LIMITS } from './limits';

function codeValidator(name: string, test: (code: string) => boolean, what: string) {
  return (options?: ValidationOptions) => (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message: `$property must be ${what}`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && test(value) },
    });
}

export const IsRegionCode = codeValidator(
  'isRegionCode',
  isRegionCode,
  'a GB/T 2260 region code of a province, city or county (e.g. 330502)',
);
export const IsIndustryCode = codeValidator(
  'isIndustryCode',
  isIndustryCode,
  'a GB/T 4754-2017 industry code (a division such as 39, or a finer code under one)',
);
export const IsDisciplineCode = codeValidator(
  'isDisciplineCode',
  isDisciplineCode,
  'a GB/T 13745-2009 discipline code (a first-level code such as 520, or a finer code under one)',
);

/** The largest amount (whole yuan) a `numeric(16, 2)` column holds: 14 digits before the point, two after it. */
export const AMOUNT_MAX = 99_999_999_999_999;

export interface AmountRange {
  /** The column takes 0 (a budget of nothing, a free licence); anything between 0 and 0.01 is refused all the same. */
  zero?: boolean;
  /** At most this; by default what the column holds. */
  max?: number;
}

/**
 * An amount of money in CNY as the `numeric(16, 2)` columns store it: a finite number with at most two decimal
 * places (fen), from 0.01 (or exactly 0 where the column takes it) up to `max`. A value the column would round
 * to 0 (1e-9, 5e-324) is refused here instead of breaking a check constraint (a 500). class-validator's own
 * `maxDecimalPlaces` reads the digits from `toString()`, which throws on numbers it prints in exponent form (1e-7).
 * The OpenAPI document gets the same range, as minimum, maximum and multipleOf 0.01.
 */
export function IsAmount({ zero = false, max = AMOUNT_MAX }: AmountRange = {}): PropertyDecorator {
  const min = zero ? 0 : 0.01;
  return applyDecorators(
    ApiProperty({ type: 'number', minimum: min, maximum: max, multipleOf: 0.01 }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isAmount',
        target: target.constructor,
        propertyName: String(propertyName),
        constraints: [min, max],
        options: {
          message: `$property must be an amount in CNY from ${min} to ${max} with at most two decimal places`,
        },
        validator: { validate: (value: unknown) => isAmount(value, zero, max) },
      }),
  );
}

function isAmount(value: unknown, zero: boolean, max: number): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value) || value > max) return false;
  if (!(value >= 0.01 || (zero && value === 0))) return false;
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

/**
 * The one form of a date the API takes (RFC 3339): a calendar date `YYYY-MM-DD`, or a date-time
 * `YYYY-MM-DDTHH:MM:SS` with up to six decimals of a second and `Z` or an offset `+HH:MM`/`-HH:MM`. Upper-case T
 * and Z only; no week dates (2027-W18-1), ordinal dates (2027-123), basic forms (20270331) or signed years.
 */
export const RFC3339_DATE_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2}))?$';
/** RFC3339_DATE_PATTERN with its time part required. */
export const RFC3339_DATE_TIME_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$';
// The same grammar, with the parts to check captured.
const RFC3339_PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2}):(\d{2})))?$/;
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** What the OpenAPI document says of every date field, beside the pattern. */
export const RFC3339_DATE_TEXT =
  'RFC 3339: a date (2027-06-30) or a date-time with Z or an offset (2027-06-30T16:00:00+08:00); a real calendar ' +
  'date and time in the years 0001 to 9999 (UTC), an offset of at most 14:00; a date alone is 00:00 UTC';

/**
 * Whether a text is a date in the API's one form (RFC3339_DATE_PATTERN) that names a real day and time: class-
 * validator's `IsDateString` takes all of ISO 8601 (week and ordinal dates among them), which PostgreSQL refuses
 * with an error that was answered as a 500.
 */
export function isRfc3339Date(value: unknown, timeRequired = false): boolean {
  const m = typeof value === 'string' ? RFC3339_PARTS.exec(value) : null;
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m
    .slice(1)
    .map((x) => (x === undefined ? undefined : Number(x)));
  if (year! < 1 || month! < 1 || month! > 12 || day! < 1 || day! > daysIn(year!, month!)) return false;
  if (hour === undefined) return !timeRequired;
  if (hour > 23 || minute! > 59 || second! > 59) return false;
  if (offsetHours !== undefined && (offsetMinutes! > 59 || offsetHours * 60 + offsetMinutes! > 14 * 60)) return false;
  const instant = Date.parse(value as string);
  return instant >= FIRST_INSTANT && instant <= LAST_INSTANT;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * A date in the API's one form (RFC3339_DATE_TEXT); with `timeRequired`, a date-time only (an instant such as a
 * challenge's deadline must say its time zone). The OpenAPI document gets the pattern.
 */
export function IsRfc3339Date({ timeRequired = false }: { timeRequired?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'string', pattern: timeRequired ? RFC3339_DATE_TIME_PATTERN : RFC3339_DATE_PATTERN }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isRfc3339Date',
        target: target.constructor,
        propertyName: String(propertyName),
        constraints: [timeRequired],
        options: {
          message: timeRequired
            ? '$property must be an RFC 3339 date-time with Z or an offset, e.g. 2027-03-31T16:00:00+08:00'
            : '$property must be an RFC 3339 date (2027-06-30) or date-time with Z or an offset (2027-06-30T16:00:00Z)',
        },
        validator: { validate: (value: unknown) => isRfc3339Date(value, timeRequired) },
      }),
  );
}

/** The property, when both are present, is at least the named sibling (e.g. budgetMax >= budgetMin). */
export function IsNotLessThan(sibling: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotLessThan',
      target: target.constructor,
      propertyName,
      constraints: [sibling],
      options: { message: `$property must not be less than ${sibling}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const other = (args.object as Record<string, unknown>)[sibling];
          return typeof value !== 'number' || typeof other !== 'number' || value >= other;
        },
      },
    });
}

const KEYS_ARE_DATA = Symbol('keysAreData');

/**
 * An object whose keys are data (a judge's scores by criterion name), so any text must work as a key, `__proto__`,
 * `constructor` and `prototype` included. The validation pipe deletes those keys from every object of a body
 * (against prototype pollution) before class-transformer copies it, and class-transformer skips the first two
 * itself; the pipe hands such a property over as a Map instead (`keysAreDataOf`), and the DTO takes it from the
 * source as a record without a prototype, where they are plain keys.
 */
export function KeysAreData(): PropertyDecorator {
  return applyDecorators(
    (target: object, propertyName: string | symbol) =>
      Reflect.defineMetadata(
        KEYS_ARE_DATA,
        [...keysAreDataOf(target.constructor), String(propertyName)],
        target.constructor,
      ),
    // From the source object: class-transformer's own copy of a Map skips __proto__ and constructor too.
    Transform(({ value, obj, key }: { value: unknown; obj: Record<string, unknown>; key: string }) =>
      obj[key] instanceof Map ? recordOf(obj[key]) : value,
    ),
  );
}

/** The properties of a DTO class marked `KeysAreData`. */
export function keysAreDataOf(type: object): readonly string[] {
  return (Reflect.getMetadata(KEYS_ARE_DATA, type) as string[] | undefined) ?? [];
}

function recordOf(map: Map<unknown, unknown>): Record<string, unknown> {
  // Without a prototype there is no __proto__ accessor: every key, __proto__ too, is an own property.
  const record = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of map) record[String(key)] = value;
  return record;
}

/**
 * The property may be left out, but not sent as null: `@IsOptional` lets null through to the database, where a
 * column that holds a value for every record refuses it (a 500). Fields that may be cleared use `@Nullable`.
 */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}

/**
 * For PartialType: a field a PATCH leaves out is unchanged, but a null is validated like any value (refused unless
 * the field is `@Nullable`), instead of passing as if it were left out and reaching a NOT NULL column.
 */
export const NULL_MEANS_NULL = { skipNullProperties: false } as const;

/** The property may be left out, or sent as null to clear it; the OpenAPI document says it is nullable. */
export function Nullable(): PropertyDecorator {
  return applyDecorators(IsOptional(), ApiPropertyOptional({ nullable: true }));
}

/** A text with at least one character that is not whitespace. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotBlank',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must not be blank', ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || /\S/u.test(value) },
    });
}

/** Optional keywords: at most LIMITS.keywords of at most LIMITS.keyword characters (achievements and demands alike). */
export function IsKeywordList(): PropertyDecorator {
  return applyDecorators(
    Omittable(),
    IsArray(),
    ArrayMaxSize(LIMITS.keywords),
    IsString({ each: true }),
    MaxLength(LIMITS.keyword, { each: true }),
  );
}

/** The organisation's own id for a record (its catalogue number), documented once for every kind that has one. */
export function ExternalIdProperty(example: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      example,
      maxLength: 100,
      description: "The organisation's own id: importing it again updates this record instead of adding another",
      nullable: true,
    }),
    IsOptional(),
    IsString(),
    Length(1, 100),
    IsNotBlank(),
  );
}
