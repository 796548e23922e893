import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from './openapi';
import { validationPipe } from './validation';

/** The version prefix of every route but health checks and the docs. */
export function applyPrefix(app: INestApplication): void {
  app.setGlobalPrefix('v1', { exclude: ['health/live', 'health/ready', 'metrics'] });
}

/** The HTTP conventions shared by the server and the end-to-end tests. */
export function configureHttp(app: NestExpressApplication): void {
  app.useGlobalPipes(validationPipe());
  app.useBodyParser('json', { limit: '1mb' });
  applyPrefix(app);
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
