import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import serveStatic from 'serve-static';
import { REPO_ROOT } from '@app/config';
import { methodGuard, openApiDocument } from './openapi-document';
import { bodyGuard } from './body-guard';
import { requestMetrics } from './request-metrics';
import { securityHeaders } from './security-headers';
import { validationPipe } from './validation';

const PREFIX = 'v1';
const UNPREFIXED = ['health/live', 'health/ready', 'metrics'];
const DOCS = 'docs';
const WEB_APP = join(REPO_ROOT, 'apps/web/public');

/** The version prefix of every route but health checks and the docs. */
export function applyPrefix(app: INestApplication): void {
  app.setGlobalPrefix(PREFIX, { exclude: UNPREFIXED });
}

/** The HTTP conventions shared by the server and the end-to-end tests. */
export function configureHttp(app: NestExpressApplication): void {
  // Express hashes every JSON answer for an ETag; answers here are computed per request and no client revalidates
  // them, so the hash was pure cost (the web app's static files keep theirs).
  app.set('etag', false);
  app.disable('x-powered-by');
  app.use(requestMetrics);
  const headers = securityHeaders(join(WEB_APP, 'index.html'));
  const docs = new RegExp(`^/${DOCS}(-json)?(/|$)`);
  app.use((req: Request, res: Response, next: NextFunction) =>
    docs.test(req.path) ? headers.docs(req, res, next) : headers.app(req, res, next),
  );
  app.use(methodGuard);
  app.useGlobalPipes(validationPipe());
  app.useBodyParser('json', { limit: '1mb' });
  app.use(bodyGuard);
  applyPrefix(app);
  // The committed document (`npm run openapi` writes it, with the response schemas generated from the types; CI
  // checks that it is current).
  SwaggerModule.setup(DOCS, app, openApiDocument(), { jsonDocumentUrl: `${DOCS}-json` });
  serveWebApp(app);
}

/** Paths the API answers (the prefix, the unprefixed routes, the docs); the web app's files are never looked for there. */
const API_PATHS = new RegExp(`^/(${[PREFIX, ...UNPREFIXED, DOCS, `${DOCS}-json`].join('|')})(/|$)`);

/**
 * The web app (apps/web/public) at `/`: static files and ES modules, no build step. Preact and htm are served from
 * their packages under `/vendor`, where the page's import map points.
 */
function serveWebApp(app: NestExpressApplication): void {
  // The folders of the packages' entry files (their `exports` do not expose package.json).
  const distOf = (entry: string) => dirname(require.resolve(entry));
  // Mounted at `/`, a static handler runs before every route and asks the file system for each path; API requests
  // skip it (measured: a quarter of a millisecond and a thread-pool round trip per request).
  const webApp = serveStatic(WEB_APP, { index: 'index.html', maxAge: '5m' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (API_PATHS.test(req.path)) next();
    else webApp(req, res, next);
  });
  app.useStaticAssets(distOf('preact'), { prefix: '/vendor/preact', maxAge: '1d' });
  app.useStaticAssets(distOf('preact/hooks'), { prefix: '/vendor/preact-hooks', maxAge: '1d' });
  app.useStaticAssets(distOf('htm'), { prefix: '/vendor/htm', maxAge: '1d' });
}
