import { dot } from '@app/embedding';
import type { RankingWeights } from '@app/learning';
import type { ProfileKind } from '@app/profiles';
import type { IndexMeta, SearchIndexService } from '@app/vector-index';
import { reciprocalRankFusion } from './fusion';
import { combine, type MatchWeights, type ScorePart } from './scoring';

/**
 * The `n` nearest neighbours of the vector and the `n` best BM25 hits of the text, fused by reciprocal rank, each
 * with its similarity. A record the lexical index has but the dense one lacks (not embedded yet) is left out: it has
 * no similarity to score.
 */
export function fusedCandidates(
  index: SearchIndexService,
  kind: ProfileKind,
  vector: Float32Array,
  text: string,
  n: number,
  filter: (m: IndexMeta) => boolean,
): { id: string; similarity: number }[] {
  const dense = index.dense(kind, vector, n, filter).hits;
  const lexical = index.lexical(kind, text, n, filter);
  const similarity = new Map(dense.map((h) => [h.id, h.similarity]));
  return reciprocalRankFusion([dense.map((h) => h.id), lexical.map((h) => h.id)]).flatMap(({ id }) => {
    const known = similarity.get(id);
    if (known !== undefined) return [{ id, similarity: known }];
    const other = index.vectorOf(kind, id);
    return other ? [{ id, similarity: dot(vector, other) }] : [];
  });
}

/** A score by the weights in force, with their version and, once a fitted version is active, the probability. */
export function scored(parts: (ScorePart | undefined)[], ranking: RankingWeights) {
  const score = combine(parts, ranking.weights as unknown as MatchWeights);
  return { ...score, weightsVersion: ranking.version, probability: ranking.probability?.(score.total) ?? null };
}
