import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ProfileJobs, QUEUES } from '@app/jobs';
import { metricsRegistry, queueJobs } from '@app/observability';
import { Public } from '../http/auth.guard';

/** Prometheus scrape endpoint: request latency, queue depth, embedding throughput, process metrics. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly jobs: ProfileJobs) {}

  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  async scrape(): Promise<string> {
    const counts = await this.jobs.counts().catch(() => ({}));
    for (const [state, n] of Object.entries(counts)) queueJobs.set({ queue: QUEUES.profiles, state }, n);
    return metricsRegistry.metrics();
  }
}
