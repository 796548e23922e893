import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import {
  JOBS,
  LeadJobs,
  QUEUES,
  RedisOutage,
  type GenerateLeadsPayload,
  type LeadsJobPayload,
  type OfferPayload,
} from '@app/jobs';
import { LeadDeliveryService, LeadsService, OutboxRelay } from '@app/leads';

/**
 * The `leads` queue: `generate-leads` (a demand or achievement was embedded), `deliver-lead` (inbox and webhook),
 * `expire-offer` (the service level lapsed), and every minute `assign-waiting-leads` and `close-withdrawn-leads`.
 * Each job is one service call.
 * The process that runs these jobs also runs the outbox relay that feeds them.
 */
@Processor(QUEUES.leads, { concurrency: 4 })
export class LeadsProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeadsProcessor.name);

  constructor(
    private readonly leads: LeadsService,
    private readonly delivery: LeadDeliveryService,
    private readonly relay: OutboxRelay,
    private readonly jobs: LeadJobs,
    private readonly outage: RedisOutage,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    // Not awaited: with Redis down the command waits for it, and the process must start (and answer) meanwhile.
    void this.jobs.scheduleSweeps().catch((e: Error) => this.logger.warn(`lead sweeps not scheduled: ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** Connection errors of this worker: one warning per outage (RedisOutage), not a stack trace per retry. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.outage.failed(error);
  }

  async process(job: Job<LeadsJobPayload>): Promise<unknown> {
    switch (job.name) {
      case JOBS.generateLeads: {
        const { kind, id, contentHash } = job.data as GenerateLeadsPayload;
        return this.leads.generateFor(kind, id, contentHash);
      }
      case JOBS.deliverLead: {
        const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const replay = String(job.id).includes('.replay.');
        return this.delivery.deliver((job.data as OfferPayload).offerId, { finalAttempt, replay });
      }
      case JOBS.expireOffer:
        return this.leads.expireOffer((job.data as OfferPayload).offerId);
      case JOBS.assignWaitingLeads:
        return this.leads.assignWaiting();
      case JOBS.closeWithdrawnLeads:
        return this.leads.closeWithdrawn();
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  }
}
