import { Inject } from '@nestjs/common';
import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { UnrecoverableError, type Job } from 'bullmq';
import { EmbeddingError } from '@app/embedding';
import { Jobs, QUEUES, QueueProcessor, RedisOutage, type EmbedProfilePayload, type JobHandlers } from '@app/jobs';
import { ProfileEmbeddingService } from '@app/profiles';

/**
 * The `profiles` queue: one profile's text to a vector, and the sweep after a model change. EMBED_CONCURRENCY jobs
 * at once: the model runs on its own thread, so while one job is in it the others read and store their records.
 */
@Processor(QUEUES.profiles, { concurrency: 1 })
export class ProfilesProcessor extends QueueProcessor<'profiles'> {
  constructor(
    private readonly embeddings: ProfileEmbeddingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    jobs: Jobs,
    outage: RedisOutage,
  ) {
    super(QUEUES.profiles, jobs, outage);
  }

  override onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.embedding.concurrency;
    super.onApplicationBootstrap();
  }

  protected handlers(): JobHandlers<'profiles'> {
    return {
      'embed-profile': (payload) => this.embed(payload),
      'reconcile-embeddings': () => this.embeddings.reconcile(),
    };
  }

  private async embed(payload: EmbedProfilePayload): Promise<unknown> {
    try {
      const outcome = await this.embeddings.embedProfile(payload);
      this.logger.debug({ ...payload, outcome }, 'embed-profile');
      return outcome;
    } catch (e) {
      // Bad input (an empty text) will not get better with retries.
      if (e instanceof EmbeddingError) throw new UnrecoverableError(e.message);
      throw e;
    }
  }

  /** After the last attempt the record says why it has no vector; the job stays in the failed set for inspection. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || job.name !== 'embed-profile') return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) await this.embeddings.markFailed(job.data as EmbedProfilePayload, error.message);
    this.logger.warn({ jobId: job.id, attempt: job.attemptsMade, final, err: error.message }, 'embed-profile failed');
  }
}
