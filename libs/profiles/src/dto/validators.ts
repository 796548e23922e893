import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
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

/**
 * An amount of money: a finite number with at most two decimal places (fen). class-validator's own
 * `maxDecimalPlaces` reads the digits from `toString()`, which throws on numbers it prints in exponent form (1e-7).
 */
export function IsAmount(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAmount',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a number with at most two decimal places', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
      },
    });
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
