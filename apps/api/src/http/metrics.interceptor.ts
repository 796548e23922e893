import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { finalize, type Observable } from 'rxjs';
import { httpRequestSeconds } from '@app/observability';

/** Request latency by route template (not by URL, so ids do not explode the label set). */
@Injectable()
export class MetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const stop = httpRequestSeconds.startTimer();
    return next.handle().pipe(
      finalize(() => {
        const route = (req.route as { path?: string } | undefined)?.path ?? 'unknown';
        stop({ method: req.method, route, status: String(http.getResponse<Response>().statusCode) });
      }),
    );
  }
}
