import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { LeadJobs, ProfileJobs, QUEUES } from '@app/jobs';
import { OutboxRelay } from '@app/leads';
import { metricsRegistry, outboxBacklog, queueJobs } from '@app/observability';
import { Public } from '../http/auth.guard';

/** Prometheus scrape endpoint: request latency, queue depths, outbox backlog, embeddings, leads, process metrics. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly profileJobs: ProfileJobs,
    private readonly leadJobs: LeadJobs,
    private readonly relay: OutboxRelay,
  ) {}

  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  async scrape(): Promise<string> {
    for (const [queue, jobs] of [
      [QUEUES.profiles, this.profileJobs],
      [QUEUES.leads, this.leadJobs],
    ] as const) {
      const counts = await jobs.counts().catch(() => ({}));
      for (const [state, n] of Object.entries(counts)) queueJobs.set({ queue, state }, n);
    }
    const backlog = await this.relay.backlog().catch(() => undefined);
    if (backlog !== undefined) outboxBacklog.set(backlog);
    return metricsRegistry.metrics();
  }
}
