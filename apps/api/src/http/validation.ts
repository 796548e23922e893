import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { validationProblems } from '@app/profiles';

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
    return super.transform(value, metadata);
  }
}
