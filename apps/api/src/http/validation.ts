import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { keysAreDataOf, validationProblems } from '@app/profiles';

/**
 * The global validation pipe: unknown fields are refused, types converted, and the 400 names every offending field
 * (nested ones with their path, e.g. `budget.max`).
 */
export function validationPipe(expectedType?: new () => object): ValidationPipe {
  return new BodyRequiredValidationPipe({
    expectedType,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = validationProblems(errors).map((p) => ({
        field: p.field,
        problems: Object.values(p.constraints),
      }));
      return new BadRequestException({
        error: 'VALIDATION_FAILED',
        message: `Invalid ${details.map((d) => d.field).join(', ')}`,
        details,
      });
    },
  });
}

/**
 * A route that takes a body needs one: without it (no JSON sent at all) the request is a 400, as the OpenAPI document
 * says, instead of a no-op that answers 200. An empty object is a body (a PATCH that changes nothing).
 */
class BodyRequiredValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = this.expectedType ?? metadata.metatype;
    if (metadata.type === 'body' && type && type !== Object && value === undefined) {
      throw new BadRequestException({
        error: 'VALIDATION_FAILED',
        message: 'A JSON body is required',
        details: [{ field: 'body', problems: ['a JSON body (Content-Type: application/json) is required'] }],
      });
    }
    return super.transform(type ? withDataKeys(value, type) : value, metadata);
  }
}

/**
 * The body with each property whose keys are data (`KeysAreData`) as a Map: Nest's pipe deletes `__proto__`,
 * `constructor` and `prototype` keys from every plain object, which would drop a criterion of that name unseen.
 * A Map it leaves alone, and class-transformer copies it key by key, never through an object's prototype setter.
 */
function withDataKeys(value: unknown, type: object): unknown {
  const properties = keysAreDataOf(type);
  if (properties.length === 0 || !isPlainObject(value)) return value;
  const copy: Record<string, unknown> = { ...value };
  for (const p of properties) {
    const v = copy[p];
    if (isPlainObject(v)) copy[p] = new Map(Object.entries(v));
  }
  return copy;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
