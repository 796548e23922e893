import { bigrams, type Rarity } from '@app/vector-index';
import { generalIdf, generalIdfMedian } from './segmenter';

/**
 * How rare a word is, for keyword suggestion: rare in the catalogue (the highest idf of its bigrams, as the lexical
 * index counts them) times rare in general Chinese (jieba's IDF over the table's median: 1 for a word of median
 * rarity). The second tells a generic word (我们, 一家) from a technical one when the catalogue is too small to; the
 * product measured best of the three in `npm run eval:assist` (docs/measurements.md, "Demand assistant").
 */
export function wordRarity(catalogue: Rarity): (word: string) => number {
  const median = generalIdfMedian();
  return (word) => Math.max(0, ...bigrams(word).map((b) => catalogue.idf(b))) * (generalIdf(word) / median);
}
