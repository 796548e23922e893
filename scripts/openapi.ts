/**
 * Writes the OpenAPI document of the API to apps/api/openapi.json, or with --check fails when the committed file
 * differs from what the code describes. Builds the module graph in preview mode: no database, Redis or model needed.
 *
 *   npm run openapi            # regenerate
 *   npm run openapi -- --check # CI
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { ApiModule } from '../apps/api/src/api.module';
import { applyPrefix } from '../apps/api/src/http/configure-http';
import { buildOpenApiDocument } from '../apps/api/src/http/openapi';

const program = new Command().option('--check', 'compare with the committed file instead of writing it').parse();
const target = join(__dirname, '../apps/api/openapi.json');

async function main(): Promise<void> {
  const app = await NestFactory.create(ApiModule.register({ runWorker: false }), { preview: true, logger: false });
  applyPrefix(app);
  const document = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
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
