import { dirname, join } from 'node:path';
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
  serveWebApp(app);
}

/**
 * The web app (apps/web/public) at `/`: static files and ES modules, no build step. Preact and htm are served from
 * their packages under `/vendor`, where the page's import map points.
 */
function serveWebApp(app: NestExpressApplication): void {
  // The folders of the packages' entry files (their `exports` do not expose package.json).
  const distOf = (entry: string) => dirname(require.resolve(entry));
  app.useStaticAssets(join(__dirname, '../../../web/public'), { index: 'index.html', maxAge: '5m' });
  app.useStaticAssets(distOf('preact'), { prefix: '/vendor/preact', maxAge: '1d' });
  app.useStaticAssets(distOf('preact/hooks'), { prefix: '/vendor/preact-hooks', maxAge: '1d' });
  app.useStaticAssets(distOf('htm'), { prefix: '/vendor/htm', maxAge: '1d' });
}
