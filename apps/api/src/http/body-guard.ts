import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Deeper than any body or query this API takes (a demand's lists are two levels down). */
export const MAX_DEPTH = 32;

/**
 * Checks what the JSON body parser and the query parser produced before anything else reads it: nesting deeper than
 * MAX_DEPTH (10,000 levels overflowed the stack of the validators behind) is a 400 `BODY_TOO_DEEP`, and a NUL
 * character in any text or key (PostgreSQL refuses the byte) a 400 naming the field. Iterative, so that the check
 * itself cannot overflow.
 */
export function bodyGuard(req: Request, _res: Response, next: NextFunction): void {
  const problem = firstProblem(req.body) ?? firstProblem(req.query);
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

type Problem = { kind: 'depth' | 'nul'; field: string };

export function firstProblem(root: unknown): Problem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { kind: 'nul', field: path };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return { kind: 'depth', field: path };
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { kind: 'nul', field: childPath };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}
