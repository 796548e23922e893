import { Injectable, Logger } from '@nestjs/common';
import { EmbeddingService } from '@app/embedding';
import { IndexNotifier, Jobs, type EmbedProfilePayload } from '@app/jobs';
import { Db } from '@app/persistence';
import { embeddingSeconds, embeddingsTotal } from '@app/observability';
import { embeddingHash, embeddingText, privateEmbeddingText } from './embedding-text';
import { ProfilesRepository } from './profiles.repository';
import type { ProfileKind } from './profiles.types';

export type EmbedOutcome = 'embedded' | 'unchanged' | 'stale' | 'missing';

const KINDS: ProfileKind[] = ['achievement', 'demand', 'expert', 'broker'];

/** Turns stored profiles into vectors: what the `embed-profile` job does, and the sweep after a model change. */
@Injectable()
export class ProfileEmbeddingService {
  private readonly logger = new Logger(ProfileEmbeddingService.name);

  constructor(
    private readonly db: Db,
    private readonly repository: ProfilesRepository,
    private readonly embedding: EmbeddingService,
    private readonly jobs: Jobs,
    private readonly notifier: IndexNotifier,
  ) {}

  /**
   * Embeds one profile's current text. Harmless to run twice: a record already embedded from the same text by the
   * same model is left alone, and a job for text that has changed since is skipped (a newer job exists).
   */
  async embedProfile(job: EmbedProfilePayload): Promise<EmbedOutcome> {
    const outcome = await this.embedIfNeeded(job);
    embeddingsTotal.inc({ kind: job.kind, outcome });
    return outcome;
  }

  private async embedIfNeeded(job: EmbedProfilePayload): Promise<EmbedOutcome> {
    const record = await this.repository.findById(job.kind, job.id, this.db.pool);
    if (!record) return 'missing';
    if (record.embedding.contentHash !== job.contentHash) return 'stale';
    if (record.embedding.status === 'ready' && record.embedding.modelId === this.embedding.modelId) return 'unchanged';
    // A hash made by an earlier rule for the same stored text (the migration that moved demands to public vectors
    // reset those): the text is current, so it is embedded and stored under the hash of today's rule.
    const hash = embeddingHash(job.kind, record);
    const stopTimer = embeddingSeconds.startTimer();
    const vector = await this.embedding.embedOne(embeddingText(job.kind, record), 'passage');
    const hidden = privateEmbeddingText(job.kind, record);
    const privateVector = hidden === null ? null : await this.embedding.embedOne(hidden, 'passage');
    stopTimer();
    const { kind, id } = job;
    const stored = await this.db.transaction(async (tx) => {
      const done = await this.repository.storeEmbedding(tx, kind, id, {
        expectedHash: job.contentHash,
        hash,
        modelId: this.embedding.modelId,
        vector,
        privateVector,
      });
      // The next stage: a demand or achievement with a new vector looks for its leads, once the index has it.
      if (done && (kind === 'demand' || kind === 'achievement'))
        await this.jobs.add(tx, 'generate-leads', { kind, id, contentHash: hash, changedAt: done.changedAt });
      return done;
    });
    if (!stored) return 'stale';
    await this.notifier.changed(job.kind);
    return 'embedded';
  }

  async markFailed(job: EmbedProfilePayload, reason: string): Promise<void> {
    await this.repository.markEmbeddingFailed(job.kind, job.id, job.contentHash, reason);
  }

  /**
   * Embeds again every profile whose vector another model made (after EMBEDDING_MODEL changed). Records waiting
   * for their first vector need no sweep: their job was committed with them.
   */
  async reconcile(batch = 1000): Promise<number> {
    const modelId = this.embedding.modelId;
    const enqueued = await this.db.transaction(async (tx) => {
      let n = 0;
      for (const kind of KINDS) {
        const rows = await this.repository.findOfOtherModel(tx, kind, modelId, batch);
        const jobs = rows.map((r) => ({
          name: 'embed-profile' as const,
          payload: { kind, id: r.id, contentHash: r.content_hash },
        }));
        await this.jobs.addMany(tx, jobs);
        n += rows.length;
      }
      return n;
    });
    if (enqueued > 0) this.logger.log({ enqueued }, 'vectors of another model queued for embedding');
    return enqueued;
  }
}
