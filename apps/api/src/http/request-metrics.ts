import type { NextFunction, Request, Response } from 'express';
import { httpRequestSeconds } from '@app/observability';

/**
 * Request latency by route template (not by URL, so ids do not explode the label set) and by the status the client
 * really got: measured when the answer is finished, after guards, filters and the body parser had their say (an
 * interceptor saw neither 401s nor 429s, and took refused requests for 200s). Unmatched paths count as `unmatched`.
 */
export function requestMetrics(req: Request, res: Response, next: NextFunction): void {
  const stop = httpRequestSeconds.startTimer();
  res.once('finish', () => {
    const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
    stop({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
}
