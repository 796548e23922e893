/** A ranked result that may stand for several listings of the same achievement. */
export interface Foldable {
  id: string;
  organisationId: string;
  title: string;
  alsoListedAs?: { id: string; organisationId: string }[];
}

/**
 * Folds near-duplicates (the same result listed twice, e.g. on a city and a provincial sub-market) into the
 * better-ranked one, which then names the others. Two listings are the same when their vectors are nearly
 * identical, or their titles are the same once punctuation and spaces are ignored.
 */
export function foldDuplicates<T extends Foldable>(
  ranked: readonly T[],
  vectorOf: (id: string) => Float32Array | undefined,
  threshold = 0.97,
): (T & Pick<Foldable, 'alsoListedAs'>)[] {
  const kept: { item: T & Pick<Foldable, 'alsoListedAs'>; title: string; vector?: Float32Array }[] = [];
  for (const item of ranked) {
    const title = squash(item.title);
    const vector = vectorOf(item.id);
    const twin = kept.find((k) => k.title === title || (vector && k.vector && dot(vector, k.vector) >= threshold));
    if (twin) (twin.item.alsoListedAs ??= []).push({ id: item.id, organisationId: item.organisationId });
    else kept.push({ item: { ...item }, title, vector });
  }
  return kept.map((k) => k.item);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const squash = (title: string) => title.replace(/[\s\p{P}]/gu, '').toLowerCase();
