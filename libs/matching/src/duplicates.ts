import { dot } from '@app/embedding';
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
 * identical, or their titles are the same once punctuation and spaces are ignored. Only the first `limit` results
 * are kept: once they are known, a later listing is only looked at as a twin of one of them (the comparisons of
 * vectors are the cost here, and this halves them for 30 candidates and 10 results).
 */
export function foldDuplicates<T extends Pick<Foldable, 'id'>>(
  ranked: readonly T[],
  vectorOf: (id: string) => Float32Array | undefined,
  listing: (item: T) => Pick<Foldable, 'organisationId' | 'title'> = (item) => item as unknown as Foldable,
  limit = Infinity,
  threshold = 0.97,
): (T & Pick<Foldable, 'alsoListedAs'>)[] {
  const kept: { item: T & Pick<Foldable, 'alsoListedAs'>; title: string; vector?: Float32Array }[] = [];
  for (const item of ranked) {
    const { organisationId, title: rawTitle } = listing(item);
    const title = squash(rawTitle);
    const vector = vectorOf(item.id);
    const twin = kept.find((k) => k.title === title || (vector && k.vector && dot(vector, k.vector) >= threshold));
    if (twin) (twin.item.alsoListedAs ??= []).push({ id: item.id, organisationId });
    else if (kept.length < limit) kept.push({ item: { ...item }, title, vector });
  }
  return kept.map((k) => k.item);
}

const squash = (title: string) => title.replace(/[\s\p{P}]/gu, '').toLowerCase();
