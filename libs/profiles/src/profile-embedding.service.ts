import { Injectable, Logger } from '@nestjs/common';
import { EmbeddingService } from '@app/embedding';
import { IndexNotifier, ProfileJobs, type EmbedProfilePayload } from '@app/jobs';
import { embeddingSeconds, embeddingsTotal } from '@app/observability';
import { embeddingHash, embeddingText, privateEmbeddingText } from './embedding-text';
import { ProfilesRepository } from './profiles.repository';
import type { ProfileKind } from './profiles.types';

export type EmbedOutcome = 'embedded' | 'unchanged' | 'stale' | 'missing';

const KINDS: ProfileKind[] = ['achievement', 'demand', 'expert', 'broker'];

/** Turns stored profiles into vectors: what the `embed-profile` job does, and the reconciliation behind it. */
@Injectable()
export class ProfileEmbeddingService {
  private readonly logger = new Logger(ProfileEmbeddingService.name);

  constructor(
    private readonly repository: ProfilesRepository,
    private readonly embedding: EmbeddingService,
    private readonly jobs: ProfileJobs,
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
    const record = await this.repository.findById(job.kind, job.id);
    if (!record) return 'missing';
    if (record.embedding.contentHash !== job.contentHash) return 'stale';
    if (record.embedding.status === 'ready' && record.embedding.modelId === this.embedding.modelId) return 'unchanged';
    const fields = record as unknown as Record<string, unknown>;
    // A hash made by an earlier rule for the same stored text (the migration that moved demands to public vectors
    // reset those): the text is current, so it is embedded and stored under the hash of today's rule.
    const hash = embeddingHash(job.kind, fields);
    const stopTimer = embeddingSeconds.startTimer();
    const vector = await this.embedding.embedOne(embeddingText(job.kind, fields), 'passage');
    const hidden = privateEmbeddingText(job.kind, fields);
    const privateVector = hidden === null ? null : await this.embedding.embedOne(hidden, 'passage');
    stopTimer();
    const stored = await this.repository.storeEmbedding(job.kind, job.id, {
      expectedHash: job.contentHash,
      hash,
      modelId: this.embedding.modelId,
      vector,
      privateVector,
    });
    if (!stored) return 'stale';
    await this.notifier.changed(job.kind);
    return 'embedded';
  }

  async markFailed(job: EmbedProfilePayload, reason: string): Promise<void> {
    await this.repository.markEmbeddingFailed(job.kind, job.id, job.contentHash, reason);
  }

  /**
   * Enqueues every profile whose vector is missing (its job was lost: Redis down at write time, a crash between
   * commit and enqueue) or was made by another model. Deterministic job ids make repeats harmless.
   */
  async reconcile(olderThanSeconds = 60, batch = 1000): Promise<number> {
    let enqueued = 0;
    for (const kind of KINDS) {
      const rows = await this.repository.findNeedingEmbedding(kind, this.embedding.modelId, olderThanSeconds, batch);
      for (const row of rows) await this.jobs.embedProfile({ kind, id: row.id, contentHash: row.content_hash });
      enqueued += rows.length;
    }
    if (enqueued > 0) this.logger.log({ enqueued }, 'reconciliation enqueued embeddings');
    return enqueued;
  }
}
