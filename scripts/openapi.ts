/**
 * Writes the OpenAPI document of the API to apps/api/openapi.json, or with --check fails when the committed file
 * differs from what the code describes. Builds the module graph in preview mode (no database, Redis or model
 * needed) and generates the response schemas from apps/api/src/http/response-types.ts (ts-json-schema-generator).
 * The API serves this file on /docs.
 *
 *   npm run openapi            # regenerate
 *   npm run openapi -- --check # CI
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { createGenerator } from 'ts-json-schema-generator';
import { ApiModule } from '../apps/api/src/api.module';
import { applyPrefix } from '../apps/api/src/http/configure-http';
import { buildOpenApiDocument, schemaName } from '../apps/api/src/http/openapi';

const program = new Command().option('--check', 'compare with the committed file instead of writing it').parse();
const root = join(__dirname, '..');
const target = join(root, 'apps/api/openapi.json');
const RESPONSE_TYPES = join(root, 'apps/api/src/http/response-types.ts');

/** JSON Schema of every type response-types.ts exports, by name (generic names made valid component names). */
function responseSchemas(): Record<string, unknown> {
  const source = readFileSync(RESPONSE_TYPES, 'utf8');
  const names = [
    ...[...source.matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1]),
    ...[...source.matchAll(/^export type \{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim())),
  ].filter(Boolean);
  const generator = createGenerator({
    path: RESPONSE_TYPES,
    tsconfig: join(root, 'tsconfig.json'),
    expose: 'export',
    topRef: true,
    skipTypeCheck: true,
    additionalProperties: true,
  });
  const definitions: Record<string, unknown> = {};
  for (const name of names) Object.assign(definitions, generator.createSchema(name).definitions);
  return Object.fromEntries(Object.entries(definitions).map(([name, schema]) => [schemaName(name), schema]));
}

/** Every $ref must name a schema of the document, and every answer with a body must have one. */
function problemsOf(document: { components?: { schemas?: object }; paths: object }): string[] {
  const known = new Set(Object.keys(document.components?.schemas ?? {}));
  const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
  const problems = [...new Set(refs.filter((r) => !known.has(r)))].map((r) => `unknown schema ${r}`);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, { responses?: Record<string, object> }>)) {
      const ok = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      if (ok.length === 0 || ok.some(([status, r]) => !['202', '204'].includes(status) && !('content' in r)))
        problems.push(`${method.toUpperCase()} ${path}: no schema for its successful answer (@Answers)`);
    }
  }
  return problems;
}

async function main(): Promise<void> {
  const app = await NestFactory.create(ApiModule.register({ runWorker: false }), { preview: true, logger: false });
  applyPrefix(app);
  const built = buildOpenApiDocument(app, responseSchemas());
  const problems = problemsOf(built);
  if (problems.length > 0) {
    console.error(`The OpenAPI document is incomplete:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const document = `${JSON.stringify(built, null, 2)}\n`;
  if (program.opts<{ check?: boolean }>().check) {
    if (readFileSync(target, 'utf8') !== document) {
      console.error('apps/api/openapi.json is out of date: run `npm run openapi` and commit the result.');
      process.exit(1);
    }
    console.log('apps/api/openapi.json is up to date');
  } else {
    writeFileSync(target, document);
    console.log(`wrote ${target}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
