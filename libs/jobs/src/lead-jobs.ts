import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { JOBS, QUEUES, type GenerateLeadsPayload, type LeadsJobPayload } from './job-names';

const KEEP = { removeOnComplete: { age: 24 * 3600, count: 50_000 }, removeOnFail: { age: 30 * 24 * 3600 } };

/**
 * One enqueue method per job of the `leads` queue. Job ids are deterministic, so that the relay may enqueue an
 * outbox row twice (after a crash between enqueuing and marking it relayed) and the job still runs once.
 */
@Injectable()
export class LeadJobs {
  constructor(
    @InjectQueue(QUEUES.leads) private readonly queue: Queue<LeadsJobPayload>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async generateLeads(payload: GenerateLeadsPayload): Promise<void> {
    await this.queue.add(JOBS.generateLeads, payload, {
      jobId: `leads.${payload.kind}.${payload.id}.${payload.contentHash}`,
      // Gives the index of the process that runs it time to catch up with records embedded just before this one.
      delay: 2_000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
      ...KEEP,
    });
  }

  /** Delivery to the broker's inbox and the organisation's webhook; `replay` starts a fresh series of attempts. */
  async deliverLead(offerId: string, replay?: number): Promise<void> {
    const { attempts, backoffMs } = this.config.leads.webhook;
    await this.queue.add(
      JOBS.deliverLead,
      { offerId },
      {
        jobId: replay === undefined ? `deliver.${offerId}` : `deliver.${offerId}.replay.${replay}`,
        attempts,
        backoff: { type: 'exponential', delay: backoffMs },
        ...KEEP,
      },
    );
  }

  /** Fires when the offer's service level lapses; does nothing if the broker answered meanwhile. */
  async expireOffer(offerId: string, dueAt: Date): Promise<void> {
    await this.queue.add(
      JOBS.expireOffer,
      { offerId },
      {
        jobId: `expire.${offerId}`,
        delay: Math.max(0, dueAt.getTime() - Date.now()),
        attempts: 10,
        backoff: { type: 'exponential', delay: 1_000 },
        ...KEEP,
      },
    );
  }

  /**
   * Every minute, however many workers ask: `assign-waiting-leads` (leads waiting for a broker get one when
   * capacity frees up) and `close-withdrawn-leads` (open leads of a withdrawn demand or achievement are closed).
   */
  async scheduleSweeps(): Promise<void> {
    await this.queue.upsertJobScheduler('assign-waiting-leads', { every: 60_000 }, { name: JOBS.assignWaitingLeads });
    await this.queue.upsertJobScheduler('close-withdrawn-leads', { every: 60_000 }, { name: JOBS.closeWithdrawnLeads });
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
  }
}
