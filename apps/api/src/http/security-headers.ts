import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every answer (helmet): a Content-Security-Policy, `X-Content-Type-Options: nosniff`,
 * `frame-ancestors 'none'` with `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, and no `X-Powered-By`.
 * Scripts may come from this origin only, plus the web app's inline import map, allowed by its hash (read from the
 * page it ships in, so the two cannot drift). The OpenAPI page (Swagger UI) needs inline styles and data: images.
 */
export function securityHeaders(indexHtml: string): { app: RequestHandler; docs: RequestHandler } {
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(readFileSync(indexHtml, 'utf8'))?.[1] ?? '';
  const importMapHash = `'sha256-${createHash('sha256').update(importMap).digest('base64')}'`;
  const common = {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    connectSrc: ["'self'"],
  };
  const options = (directives: Record<string, string[]>) =>
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { ...common, ...directives } },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });
  return {
    app: options({ scriptSrc: ["'self'", importMapHash], styleSrc: ["'self'"], imgSrc: ["'self'"] }),
    docs: options({ scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] }),
  };
}
