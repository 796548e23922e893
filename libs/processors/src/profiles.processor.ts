import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { UnrecoverableError } from 'bullmq';
import { EmbeddingError } from '@app/embedding';
import { Jobs, QUEUES, QueueProcessor, type EmbedProfilePayload, type JobContext, type JobHandlers } from '@app/jobs';
import { ProfileEmbeddingService } from '@app/profiles';

/**
 * The `profiles` queue: one profile's text to a vector, and the sweep after a model change. EMBED_CONCURRENCY jobs
 * at once: the model runs on its own thread, so while one job is in it the others read and store their records.
 */
@Injectable()
export class ProfilesProcessor extends QueueProcessor<'profiles'> {
  constructor(
    private readonly embeddings: ProfileEmbeddingService,
    @Inject(APP_CONFIG) config: AppConfig,
    jobs: Jobs,
  ) {
    super(QUEUES.profiles, jobs, config.embedding.concurrency);
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
  protected override async onFailed(job: JobContext, error: Error, final: boolean): Promise<void> {
    if (job.name !== 'embed-profile') return;
    if (final) await this.embeddings.markFailed(job.data as EmbedProfilePayload, error.message);
    this.logger.warn({ jobId: job.id, attempt: job.attemptsMade, final, err: error.message }, 'embed-profile failed');
  }
}
