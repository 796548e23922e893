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
  const kept: (T & Pick<Foldable, 'alsoListedAs'>)[] = [];
  for (const item of ranked) {
    const twin = kept.find((k) => sameListing(k, item, vectorOf, threshold));
    if (twin) (twin.alsoListedAs ??= []).push({ id: item.id, organisationId: item.organisationId });
    else kept.push({ ...item });
  }
  return kept;
}

function sameListing(a: Foldable, b: Foldable, vectorOf: (id: string) => Float32Array | undefined, threshold: number) {
  if (squash(a.title) === squash(b.title)) return true;
  const [va, vb] = [vectorOf(a.id), vectorOf(b.id)];
  if (!va || !vb) return false;
  let dot = 0;
  for (let i = 0; i < va.length; i++) dot += va[i] * vb[i];
  return dot >= threshold;
}

const squash = (title: string) => title.replace(/[\s\p{P}]/gu, '').toLowerCase();
