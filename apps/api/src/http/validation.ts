import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/**
 * The global validation pipe: unknown fields are refused, types converted, and the 400 names every offending field
 * (nested ones with their path, e.g. `budget.max`).
 */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new BadRequestException({
        error: 'VALIDATION_FAILED',
        message: `Invalid ${details.map((d) => d.field).join(', ')}`,
        details,
      });
    },
  });
}

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}
