import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOBS, QUEUES, type EmbedProfilePayload, type ProfilesJobPayload } from './job-names';

/** One enqueue method per job. Job ids are deterministic, so enqueuing the same work twice adds it once. */
@Injectable()
export class ProfileJobs {
  constructor(@InjectQueue(QUEUES.profiles) private readonly queue: Queue<ProfilesJobPayload>) {}

  async embedProfile(payload: EmbedProfilePayload): Promise<void> {
    await this.queue.add(JOBS.embedProfile, payload, {
      // BullMQ refuses ":" in custom ids.
      jobId: `embed.${payload.kind}.${payload.id}.${payload.contentHash}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Jobs by state, for the queue-depth metric. */
  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
  }

  /** Every minute, one `reconcile-embeddings` job, however many workers ask for it. */
  async scheduleReconciliation(): Promise<void> {
    await this.queue.upsertJobScheduler('reconcile-embeddings', { every: 60_000 }, { name: JOBS.reconcileEmbeddings });
  }
}
