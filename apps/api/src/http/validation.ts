import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { validationProblems } from '@app/profiles';

/**
 * The global validation pipe: unknown fields are refused, types converted, and the 400 names every offending field
 * (nested ones with their path, e.g. `budget.max`).
 */
export function validationPipe(expectedType?: new () => object): ValidationPipe {
  return new ValidationPipe({
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
