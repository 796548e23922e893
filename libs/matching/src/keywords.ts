import { bigrams, sharedPhrases, type Rarity } from '@app/vector-index';
import type { ScorePart } from './scoring';

// The keyword part of a score reads text as the lexical index does (character bigrams, Latin words whole) and weighs
// each shared term by how rare it is in the catalogue of the side that offers: sharing 滚刀 says more than sharing
// 方法. Bigrams measured better than jieba words on the patents and CSL (docs/measurements.md, "Lexical analyser").

/** The text of a need and its terms, once each. */
export interface NeedText {
  text: string;
  terms: readonly string[];
}

export function needText(text: string): NeedText {
  return { text, terms: [...new Set(bigrams(text))] };
}

/**
 * A need of fewer terms than this gives the keyword part proportionally less weight (its confidence): three bigrams
 * of a discipline's name shared by half the catalogue prove little, a paragraph's rare terms shared prove much
 * (tuned on the dev splits: docs/measurements.md, "Matching quality").
 */
export const EVIDENCE_TERMS = 32;

/** At most this many shared phrases are named in an explanation. */
const SHOWN = 5;

// A need is scored against every candidate of a request with the same rarity: its terms' idf is computed once.
const needWeights = new WeakMap<NeedText, { rarity: Rarity; idf: number[]; all: number }>();

function weightsOf(need: NeedText, rarity: Rarity): { idf: number[]; all: number } {
  let w = needWeights.get(need);
  if (!w || w.rarity !== rarity) {
    const idf = need.terms.map((t) => rarity.idf(t));
    w = { rarity, idf, all: idf.reduce((a, b) => a + b, 0) };
    needWeights.set(need, w);
  }
  return w;
}

/**
 * The rarity-weighted share of the need's terms that the offer also has (sum of their idf over the sum of all of the
 * need's), with the confidence a need of this length gives. The explanation names the shared phrases, rarest first,
 * leaving out those common in the catalogue (in more than one record in twenty, and more than two).
 */
export function keywordPart(need: NeedText, offerTerms: ReadonlySet<string>, rarity: Rarity): ScorePart | undefined {
  if (need.terms.length === 0) return undefined;
  const { idf, all } = weightsOf(need, rarity);
  let shared = 0;
  need.terms.forEach((t, i) => {
    if (offerTerms.has(t)) shared += idf[i];
  });
  const value = all > 0 ? shared / all : 0;
  const confidence = Math.min(1, need.terms.length / EVIDENCE_TERMS);
  if (shared === 0)
    return { name: 'keywords', value: 0, confidence, why: { zh: '无共同关键词', en: 'no shared keywords' } };
  // Telling: in at most one record of twenty (idf about 3), or two in a small catalogue.
  const n = rarity.size;
  const df = Math.max(2, n / 20);
  const telling = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const seen = new Set<string>();
  const shown = sharedPhrases(need.text, (t) => offerTerms.has(t))
    .map(({ phrase, terms }) => ({ phrase, weight: Math.max(...terms.map((t) => rarity.idf(t))) }))
    .filter(({ phrase, weight }) => weight >= telling && !seen.has(phrase) && seen.add(phrase))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, SHOWN)
    .map((p) => p.phrase);
  return {
    name: 'keywords',
    value,
    confidence,
    why:
      shown.length === 0
        ? { zh: '仅有常见词相同', en: 'only common words shared' }
        : { zh: `共同关键词：${shown.join('、')}`, en: `shared keywords: ${shown.join(', ')}` },
  };
}
