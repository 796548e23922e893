import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { JOBS, MaintenanceJobs, QUEUES, RedisOutage } from '@app/jobs';
import { IdempotencyRepository } from '@app/persistence';

/** The `maintenance` queue: `expire-idempotency-keys` deletes the stored answers of keys older than their TTL. */
@Processor(QUEUES.maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly jobs: MaintenanceJobs,
    private readonly idempotency: IdempotencyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outage: RedisOutage,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Not awaited: with Redis down the command waits for it, and the process must start meanwhile.
    void this.jobs.schedule().catch((e: Error) => this.logger.warn(`maintenance not scheduled: ${e.message}`));
  }

  /** Connection errors of this worker: one warning per outage (RedisOutage), not a stack trace per retry. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.outage.failed(error);
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.expireIdempotencyKeys:
        return this.idempotency.expire(this.config.http.idempotencyTtlHours);
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  }
}
