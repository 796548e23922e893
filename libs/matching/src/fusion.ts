/**
 * Reciprocal rank fusion: each list gives an item 1 / (k + rank); the sums rank the fused list. k = 60 is the
 * constant of Cormack et al. (2009); it needs no score calibration between BM25 and cosine.
 */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = 60): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const list of lists) list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
