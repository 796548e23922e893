import { createHash } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { EmbeddingService } from '@app/embedding';
import { Db } from '@app/persistence';
import { embeddingText, ProfilesRepository, type ProfileInput, type ProfileKind } from '@app/profiles';

/**
 * Stores records and their vectors as the worker does (the public text, one at a time), for the scripts that build a
 * catalogue of their own. `vectors` (text -> vector) lets a second catalogue of the same texts skip the model.
 */
export function embeddedStore(context: INestApplicationContext, vectors = new Map<string, Float32Array>()) {
  const db = context.get(Db);
  const repository = context.get(ProfilesRepository);
  const embedding = context.get(EmbeddingService);
  /** The record's id and what its generate-leads job would carry. */
  return async <K extends ProfileKind>(kind: K, organisationId: string, values: ProfileInput<K>) => {
    const hash = createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 32);
    const record = await repository.insert(kind, organisationId, values, hash, db.pool);
    const text = embeddingText(kind, values);
    if (!vectors.has(text)) vectors.set(text, await embedding.embedOne(text, 'passage'));
    const stored = await repository.storeEmbedding(db.pool, kind, record.id, {
      expectedHash: hash,
      hash,
      modelId: embedding.modelId,
      vector: vectors.get(text)!,
    });
    return { id: record.id, contentHash: hash, changedAt: stored!.changedAt };
  };
}
