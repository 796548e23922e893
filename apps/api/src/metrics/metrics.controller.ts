import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import ipaddr from 'ipaddr.js';
import { UnauthenticatedError } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { JobRelay, Jobs } from '@app/jobs';
import { metricsRegistry, outboxBacklog, queueJobs, scrapeMetrics } from '@app/observability';
import { Public } from '../http/auth.guard';
import { RateLimits } from '../http/rate-limits';

/**
 * Prometheus scrape endpoint: request latency, queue depths, outbox backlog, embeddings, leads, process metrics.
 * It tells how the service is used, so it answers only a scraper: one that sends METRICS_TOKEN as a bearer token, or,
 * without a token configured, a caller on this machine (a loopback peer that no proxy forwarded). Anyone else is
 * refused as an unauthenticated request is, and counted against its address's budget.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: Jobs,
    private readonly relay: JobRelay,
    private readonly limits: RateLimits,
  ) {}

  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  async scrape(@Req() req: Request): Promise<string> {
    if (!this.mayScrape(req)) {
      await this.limits.consumeAddress(req.ip ?? 'unknown');
      throw new UnauthenticatedError();
    }
    const counts = await this.jobs.counts().catch(() => ({}));
    for (const [queue, states] of Object.entries(counts))
      for (const [state, n] of Object.entries(states)) queueJobs.set({ queue, state }, n);
    const backlog = await this.relay.backlog().catch(() => undefined);
    if (backlog !== undefined) outboxBacklog.set(backlog);
    return scrapeMetrics();
  }

  private mayScrape(req: Request): boolean {
    const token = this.config.http.metricsToken;
    if (token) {
      const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
      const wanted = Buffer.from(token);
      return given.length === wanted.length && timingSafeEqual(given, wanted);
    }
    return isLoopback(req.socket.remoteAddress) && req.headers['x-forwarded-for'] === undefined;
  }
}

function isLoopback(address: string | undefined): boolean {
  // ipaddr.js reads ::ffff:127.0.0.1 as the IPv4 address it maps (`process`), as the webhook policy does.
  return address !== undefined && ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback';
}
