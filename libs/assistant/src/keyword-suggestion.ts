// Suggesting keywords for a draft: its own words, ranked by how rare they are in the catalogue, with those shared with
// the nearest records first. Pure, given the words and a rarity.

export interface KeywordInput {
  /** The draft's title words and body words (title included), as the segmenter cut them. */
  titleWords: readonly string[];
  words: readonly string[];
  /** How rare a word is in the catalogue (inverse document frequency; 0 for a word everywhere). */
  idf: (word: string) => number;
  /** The texts of the nearest records: a word found in one of them is shared. */
  neighbours: readonly string[];
}

export interface KeywordSuggestion {
  keyword: string;
  /** The nearest records whose text has it. */
  sharedWith: number;
}

/**
 * What an author would name (recall@5 of CSL's author keywords, `npm run eval:assist`): a word of the title counts
 * twice, a word none of the nearest records has counts 0.7, repetitions count by their square root; single
 * characters, numbers and generic words (rare nowhere: idf under MIN_IDF) are left out.
 */
export const TITLE_BOOST = 2;
export const UNSHARED_FACTOR = 0.7;
export const MIN_IDF = 1;

export function suggestKeywords(input: KeywordInput, top = 5): KeywordSuggestion[] {
  const counts = new Map<string, number>();
  for (const w of input.words) if (isCandidate(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const title = new Set(input.titleWords);
  const scored = [...counts].flatMap(([keyword, n]) => {
    const idf = input.idf(keyword);
    if (idf < MIN_IDF) return [];
    const sharedWith = input.neighbours.filter((t) => t.includes(keyword)).length;
    const score = Math.sqrt(n) * idf * (title.has(keyword) ? TITLE_BOOST : 1) * (sharedWith > 0 ? 1 : UNSHARED_FACTOR);
    return [{ keyword, sharedWith, score }];
  });
  scored.sort((a, b) => b.score - a.score || a.keyword.localeCompare(b.keyword));
  return scored.slice(0, top).map(({ keyword, sharedWith }) => ({ keyword, sharedWith }));
}

function isCandidate(word: string): boolean {
  return [...word].length >= 2 && !/^[\p{N}\p{P}\s]+$/u.test(word);
}
