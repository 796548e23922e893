import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { findUnstorable, MAX_DEPTH } from '@app/persistence';

/**
 * Checks what the JSON body parser and the query parser produced before anything else reads it: nesting deeper than
 * MAX_DEPTH is a 400 `BODY_TOO_DEEP`, and a NUL character in any text or key a 400 naming the field.
 */
export function bodyGuard(req: Request, _res: Response, next: NextFunction): void {
  const problem = findUnstorable(req.body) ?? findUnstorable(req.query);
  if (!problem) return next();
  if (problem.kind === 'depth') {
    return next(
      new BadRequestException({
        error: 'BODY_TOO_DEEP',
        message: `JSON nested deeper than ${MAX_DEPTH} levels (at ${problem.field || 'the top'})`,
      }),
    );
  }
  next(
    new BadRequestException({
      error: 'VALIDATION_FAILED',
      message: `Invalid ${problem.field}`,
      details: [{ field: problem.field, problems: [`${problem.field} must not contain the NUL character (U+0000)`] }],
    }),
  );
}
