import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOBS, QUEUES } from './job-names';

/** Housekeeping of the service's own tables, on a schedule of its own queue. */
@Injectable()
export class MaintenanceJobs {
  constructor(@InjectQueue(QUEUES.maintenance) private readonly queue: Queue<Record<string, never>>) {}

  /** Every ten minutes, one `expire-idempotency-keys` job, however many workers ask for it. */
  async schedule(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'expire-idempotency-keys',
      { every: 600_000 },
      { name: JOBS.expireIdempotencyKeys, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
