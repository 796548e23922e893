import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { JobRelay, Jobs } from '@app/jobs';
import { metricsRegistry, outboxBacklog, queueJobs, scrapeMetrics } from '@app/observability';
import { Public } from '../http/auth.guard';

/** Prometheus scrape endpoint: request latency, queue depths, outbox backlog, embeddings, leads, process metrics. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly jobs: Jobs,
    private readonly relay: JobRelay,
  ) {}

  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  async scrape(): Promise<string> {
    const counts = await this.jobs.counts().catch(() => ({}));
    for (const [queue, states] of Object.entries(counts))
      for (const [state, n] of Object.entries(states)) queueJobs.set({ queue, state }, n);
    const backlog = await this.relay.backlog().catch(() => undefined);
    if (backlog !== undefined) outboxBacklog.set(backlog);
    return scrapeMetrics();
  }
}
