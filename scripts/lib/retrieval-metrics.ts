/** Ranking metrics over one query's ranked list of document indices and its set of relevant indices. */

export function recallAt(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  const hits = ranked.slice(0, k).filter((d) => relevant.has(d)).length;
  return hits / Math.min(relevant.size, k);
}

export function precisionAt(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  return ranked.slice(0, k).filter((d) => relevant.has(d)).length / k;
}

export function mrrAt(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  const i = ranked.slice(0, k).findIndex((d) => relevant.has(d));
  return i < 0 ? 0 : 1 / (i + 1);
}

export function ndcgAt(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((d, i) => {
    if (relevant.has(d)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

export function mean(values: readonly number[]): number {
  return values.reduce((s, x) => s + x, 0) / values.length;
}
