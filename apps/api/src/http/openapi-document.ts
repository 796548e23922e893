import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { REPO_ROOT } from '@app/config';
import type { NextFunction, Request, Response } from 'express';

/** The committed OpenAPI document (`npm run openapi` writes it; CI checks it is current), read once. */
let document: OpenAPIObject | undefined;
export function openApiDocument(): OpenAPIObject {
  document ??= JSON.parse(readFileSync(join(REPO_ROOT, 'apps/api/openapi.json'), 'utf8')) as OpenAPIObject;
  return document;
}

let routes: { pattern: RegExp; methods: string[] }[] | undefined;

/**
 * The methods the API documents for a path (none: a path it does not document, such as the web app's files). Taken
 * from the OpenAPI document, the one description of every route.
 */
export function allowedMethods(path: string): string[] {
  routes ??= Object.entries(openApiDocument().paths).map(([template, item]) => ({
    pattern: pathPattern(template, item as Record<string, OperationParameters>),
    methods: Object.keys(item)
      .filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))
      .map((m) => m.toUpperCase()),
  }));
  // Parameters match as their schemas say: /v1/achievements/import is the import, not an achievement's id.
  const methods = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

interface OperationParameters {
  parameters?: { in: string; name: string; schema?: { format?: string; enum?: string[] } }[];
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** A path template as a pattern, each parameter as its schema allows (a uuid, one of an enum, else a segment). */
function pathPattern(template: string, operations: Record<string, OperationParameters>): RegExp {
  const schemas = new Map(
    Object.values(operations)
      .flatMap((op) => op.parameters ?? [])
      .filter((p) => p.in === 'path')
      .map((p) => [p.name, p.schema]),
  );
  const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (!name) return escape(part);
      const schema = schemas.get(name);
      if (schema?.format === 'uuid') return UUID;
      if (schema?.enum) return `(?:${schema.enum.map(escape).join('|')})`;
      return '[^/]+';
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}

/**
 * A documented path asked with a method it does not take is a 405 with `Allow`, before routing: the router would
 * answer 404 (TRACE), or send the request to another route (PATCH /v1/achievements/import is no achievement id).
 */
export function methodGuard(req: Request, res: Response, next: NextFunction): void {
  const allowed = allowedMethods(req.path);
  if (allowed.length === 0 || allowed.includes(req.method)) return next();
  res.setHeader('Allow', allowed.join(', '));
  next(
    new HttpException(
      {
        error: 'METHOD_NOT_ALLOWED',
        message: `${req.method} is not allowed on ${req.path}; allowed: ${allowed.join(', ')}`,
      },
      HttpStatus.METHOD_NOT_ALLOWED,
    ),
  );
}
