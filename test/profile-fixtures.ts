import type { Db } from '@app/persistence';
import type { ProfileInput, ProfileKind, ProfilesRepository } from '@app/profiles';

/** A unit vector leaning towards axis `axis`, so that pairs and brokers have a controlled similarity. */
export function axisVector(axis: number, jitter = 0.1): Float32Array {
  const v = new Float32Array(512).map((_, i) => (i === axis ? 1 : jitter * Math.sin(i * (axis + 1))));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** Stores a record with a vector straight through the repository, as the worker would; returns its id. */
export async function insertEmbedded<K extends ProfileKind>(
  repository: ProfilesRepository,
  db: Db,
  record: { kind: K; organisationId: string; values: ProfileInput<K>; vector: Float32Array; modelId: string },
): Promise<string> {
  const { kind, organisationId, values, vector, modelId } = record;
  const hash = `${kind}-${Math.random()}`;
  const created = await repository.insert(kind, organisationId, values, hash, db.pool);
  await repository.storeEmbedding(db.pool, kind, created.id, { expectedHash: hash, hash, modelId, vector });
  return created.id;
}
