import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { AppConfig } from '@app/config';

export type { Logger } from 'pino';

/** Paths never written to the logs: credentials and the personal or confidential content of requests. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.password',
  '*.apiKey',
  '*.secret',
];

/** The process's root logger: JSON lines, one object per event, secrets redacted; stdout unless told stderr. */
export function createRootLogger(config: AppConfig, name: string, fd: 1 | 2 = 1): Logger {
  return pino({ name, level: config.log.level, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination(fd));
}

/** HTTP request logging: a request id taken from `X-Request-Id` or made, echoed back, and put on every line. */
export function httpLoggerOptions(logger: Logger): PinoHttpOptions {
  return {
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // The request id is in `req.id` of every line logged while serving the request; no customProps, whose child
    // logger per request cost measurably (issue #14's profile of the match route).
    serializers: {
      // The query string may carry what a user searched for: only the path is logged.
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health/live') ?? false },
  };
}
