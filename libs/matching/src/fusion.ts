/**
 * Reciprocal rank fusion: each list gives an item weight / (k + rank); the sums rank the fused list. k = 60 is the
 * constant of Cormack et al. (2009); it needs no score calibration between BM25 and cosine. Weights default to 1.
 */
export function reciprocalRankFusion(
  lists: readonly (readonly string[])[],
  k = 60,
  weights: readonly number[] = [],
): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  lists.forEach((list, l) =>
    list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + (weights[l] ?? 1) / (k + rank + 1))),
  );
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
