import type { ValidationError } from 'class-validator';

/** class-validator's nested errors as a flat list of fields (with their path, e.g. `patents.0.number`) and rules. */
export function validationProblems(
  errors: ValidationError[],
  parent = '',
): { field: string; constraints: Record<string, string> }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, constraints: e.constraints }] : [];
    return [...own, ...validationProblems(e.children ?? [], field)];
  });
}
