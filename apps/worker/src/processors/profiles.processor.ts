import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { EmbeddingError } from '@app/embedding';
import {
  JOBS,
  LeadJobs,
  ProfileJobs,
  QUEUES,
  RedisOutage,
  type EmbedProfilePayload,
  type ProfilesJobPayload,
} from '@app/jobs';
import { ProfileEmbeddingService } from '@app/profiles';

/**
 * The `profiles` queue: `embed-profile` (one profile's text to a vector, then a `generate-leads` job for demands and
 * achievements) and `reconcile-embeddings` (catch up on records whose job was lost or whose vector came from
 * another model).
 */
@Processor(QUEUES.profiles, { concurrency: 1 })
export class ProfilesProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProfilesProcessor.name);

  constructor(
    private readonly embeddings: ProfileEmbeddingService,
    private readonly jobs: ProfileJobs,
    private readonly leadJobs: LeadJobs,
    private readonly outage: RedisOutage,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Not awaited: with Redis down the command waits for it, and the process must start meanwhile.
    void this.jobs
      .scheduleReconciliation()
      .catch((e: Error) => this.logger.warn(`reconciliation not scheduled: ${e.message}`));
  }

  /** Connection errors of this worker: one warning per outage (RedisOutage), not a stack trace per retry. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.outage.failed(error);
  }

  async process(job: Job<ProfilesJobPayload>): Promise<unknown> {
    switch (job.name) {
      case JOBS.embedProfile: {
        const payload = job.data as EmbedProfilePayload;
        try {
          const outcome = await this.embeddings.embedProfile(payload);
          this.logger.debug({ ...payload, outcome }, 'embed-profile');
          // A new or changed demand or achievement looks for leads; 'unchanged' too, in case a crash lost the job.
          if (
            (outcome === 'embedded' || outcome === 'unchanged') &&
            (payload.kind === 'demand' || payload.kind === 'achievement')
          )
            await this.leadJobs.generateLeads({ kind: payload.kind, id: payload.id, contentHash: payload.contentHash });
          return outcome;
        } catch (e) {
          // Bad input (an empty text) will not get better with retries.
          if (e instanceof EmbeddingError) throw new UnrecoverableError(e.message);
          throw e;
        }
      }
      case JOBS.reconcileEmbeddings:
        return this.embeddings.reconcile();
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  }

  /** After the last attempt the record says why it has no vector; the job stays in the failed set for inspection. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<ProfilesJobPayload> | undefined, error: Error): Promise<void> {
    if (!job || job.name !== JOBS.embedProfile) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) await this.embeddings.markFailed(job.data as EmbedProfilePayload, error.message);
    this.logger.warn({ jobId: job.id, attempt: job.attemptsMade, final, err: error.message }, 'embed-profile failed');
  }
}
