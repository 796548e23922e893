import type { INestApplication } from '@nestjs/common';
import { ApiResponse, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The routes that need no API key (health checks, metrics). */
const PUBLIC_PATHS = ['/health/live', '/health/ready', '/metrics'];
/** Path ids are uuids (ParseUUIDPipe) except a subsidy rule's, which names its scheme (`zj-2019-exchange`). */
const TEXT_ID_PATHS = ['/v1/subsidy-rules/{id}'];

/**
 * The answer of a route: its status and the name of its body's type in response-types.ts (the schema `npm run
 * openapi` generates from it, which fails on a name it does not know); without a name, an answer with no body.
 */
export function Answers(status: number, schema?: string, description = 'Success') {
  return ApiResponse({
    status,
    description,
    ...(schema ? { schema: { $ref: `#/components/schemas/${schema}` } } : {}),
  });
}

/** The error statuses an operation may answer, each with the error body. */
const ERRORS: Record<number, string> = {
  400: 'Invalid input: `details` names each offending field',
  401: 'No valid API key',
  403: 'The key may not do this',
  404: 'No such record, or not one this key may see',
  405: 'Method not allowed on this path (see Allow)',
  409: 'Conflicts with the current state (`allowed` lists the moves a lead may make)',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Understood but refused (e.g. an Idempotency-Key reused for another request)',
  429: 'Over the rate limit: see Retry-After',
  500: 'Unexpected error (logged with the request id)',
  503: 'Not ready (the search index is loading, or a dependency is down)',
};

/**
 * The OpenAPI document: what Nest's decorators describe, completed with what holds for every route: the two ways
 * to present a key, path ids as uuids, the error statuses with the error body, and the response schemas generated
 * from response-types.ts (passed in by `npm run openapi`, as JSON Schema; converted to OpenAPI 3.0 here).
 */
export function buildOpenApiDocument(app: INestApplication, schemas: Record<string, unknown> = {}): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Technology-transfer matchmaking API')
    .setDescription(
      'Achievements, demands, experts and brokers of the Zhejiang technology market; matches and leads. ' +
        'Error bodies name each offending field.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The API key' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  // Request bodies refuse fields they do not declare (the validation pipe forbids them): say so.
  for (const [name, schema] of Object.entries(document.components.schemas ?? {}))
    if (name.endsWith('Dto')) Object.assign(schema, { additionalProperties: false });
  document.components.schemas = { ...document.components.schemas, ...(toOpenApi30(schemas) as object) };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item) as [string, OperationLike][]) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const isPublic = PUBLIC_PATHS.includes(path);
      op.security = isPublic ? [] : [{ bearer: [] }, { apiKey: [] }];
      for (const p of op.parameters ?? []) {
        if (p.in === 'path' && /^(id|offerId)$/.test(p.name) && !TEXT_ID_PATHS.includes(path))
          p.schema = { type: 'string', format: 'uuid' };
        if (p.in === 'path' && p.name === 'kind') p.schema = { type: 'string', enum: ['achievements', 'demands'] };
      }
      const statuses = isPublic ? [500, 503] : [400, 401, 403, 404, 409, 422, 429, 500, 503];
      if (['post', 'put', 'patch'].includes(method)) statuses.push(413, 415);
      for (const status of statuses) {
        op.responses[status] ??= {
          description: ERRORS[status],
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        };
      }
    }
  }
  return document;
}

interface OperationLike {
  responses: Record<string, unknown>;
  parameters?: { in: string; name: string; schema?: unknown }[];
  security?: unknown[];
}

/**
 * JSON Schema (draft 7, as ts-json-schema-generator writes it) to OpenAPI 3.0 schemas: `type: [T, "null"]` and
 * `anyOf: [S, {type: "null"}]` become `nullable`, `const` an enum of one, and refs point into components.
 */
export function toOpenApi30(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toOpenApi30);
  if (node === null || typeof node !== 'object') return node;
  const s = { ...(node as Record<string, unknown>) };
  if (typeof s.$ref === 'string')
    return { $ref: `#/components/schemas/${schemaName(s.$ref.replace('#/definitions/', ''))}` };
  if (Array.isArray(s.type) && s.type.includes('null')) {
    const types = (s.type as string[]).filter((t) => t !== 'null');
    s.type = types.length === 1 ? types[0] : undefined;
    if (types.length > 1) s.anyOf = types.map((type) => ({ type }));
    s.nullable = true;
  }
  if (Array.isArray(s.anyOf) && s.anyOf.some(isNull)) {
    const rest = (s.anyOf as unknown[]).filter((x) => !isNull(x));
    delete s.anyOf;
    if (rest.length === 1) Object.assign(s, (rest[0] as { $ref?: string }).$ref ? { allOf: rest } : rest[0]);
    else s.anyOf = rest;
    s.nullable = true;
  }
  if ('const' in s) {
    s.enum = [s.const];
    delete s.const;
  }
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' && v && typeof v === 'object')
      s[k] = Object.fromEntries(Object.entries(v).map(([p, x]) => [p, toOpenApi30(x)]));
    else if (k !== 'enum' && k !== 'required') s[k] = toOpenApi30(v);
  }
  if (s.type === undefined) delete s.type;
  return s;
}

/** Component names may hold letters, digits, `.`, `-` and `_` only: `Page<Organisation>` becomes `Page_Organisation`. */
export function schemaName(name: string): string {
  return decodeURIComponent(name)
    .replace(/[<>,\s]+/g, '_')
    .replace(/_+$/, '');
}

const isNull = (x: unknown) => (x as { type?: unknown }).type === 'null';
