import {
  profileText,
  type Achievement,
  type Demand,
  type Expert,
  type ProfileByKind,
  type ProfileKind,
} from '@app/profiles';
import { bigrams, type Rarity } from '@app/vector-index';
import { keywordPart, type NeedText } from './keywords';
import {
  cooperationPart,
  greenPart,
  industryPart,
  pricePart,
  readinessPart,
  regionPart,
  semanticPart,
  type ScorePart,
} from './scoring';

// The parts of a pair's score, from the side that needs (a demand, a programme's focus) and the side that offers.
// Pure functions over records: MatchingService finds the candidates and combines these with its weights.

/** The need side of a pair, whatever asks: a demand, or a programme's focus. */
export interface Need extends NeedText {
  industryCode: string | null;
  regionCode: string;
  minReadinessLevel: number | null;
  budgetMin: number | null;
  budgetMax: number | null;
  cooperationModes: string[];
  greenPreferred: boolean;
}

/** The parts of the score of a record of `kind` against a need; `rarity` is that of the kind's catalogue. */
export function partsFor(
  kind: 'achievement' | 'expert' | 'demand',
  need: Need,
  r: ProfileByKind['achievement' | 'expert' | 'demand'],
  similarity: number,
  rarity: Rarity,
): (ScorePart | undefined)[] {
  const offerTerms = termsOf(kind, r);
  const parts: (ScorePart | undefined)[] = [semanticPart(similarity)];
  if (kind === 'achievement') {
    parts.push(...achievementParts(need, r as Achievement, offerTerms, rarity));
  } else if (kind === 'expert') {
    parts.push(keywordPart(need, offerTerms, rarity), regionPart(need.regionCode, (r as Expert).regionCodes));
  } else {
    const d = r as Demand;
    parts.push(
      keywordPart(need, offerTerms, rarity),
      industryPart(need.industryCode, d.industryCode ? [d.industryCode] : []),
      regionPart(need.regionCode, [d.regionCode]),
    );
  }
  return parts;
}

/** How an achievement fits a need, apart from the semantic similarity. */
export function achievementParts(need: Need, a: Achievement, offerTerms: ReadonlySet<string>, rarity: Rarity) {
  return [
    keywordPart(need, offerTerms, rarity),
    industryPart(need.industryCode, a.industryCode ? [a.industryCode] : []),
    regionPart(need.regionCode, [a.regionCode]),
    readinessPart(a.readinessLevel, need.minReadinessLevel),
    pricePart(a.askingPrice, need.budgetMin, need.budgetMax),
    cooperationPart(need.cooperationModes, a.cooperationModes),
    greenPart(need.greenPreferred, a.green),
  ];
}

export function needOfDemand(d: Demand): Need {
  const text = profileText('demand', d);
  return {
    text,
    terms: [...termsOf('demand', d)],
    industryCode: d.industryCode,
    regionCode: d.regionCode,
    minReadinessLevel: d.minReadinessLevel,
    budgetMin: d.budgetMin,
    budgetMax: d.budgetMax,
    cooperationModes: d.cooperationModes,
    greenPreferred: d.greenPreferred,
  };
}

// Normalising and splitting a record's text is the costliest step of scoring; a record's terms change only with its
// text, and the update time says when (for the viewer's form of a demand, the blanked fields are part of the key).
const termsCache = new Map<string, ReadonlySet<string>>();
const TERMS_CACHE_SIZE = 20_000;

/** A record's terms as the lexical index reads its text (the form given: a demand's public form has fewer). */
export function termsOf(kind: ProfileKind, record: ProfileByKind[ProfileKind]): ReadonlySet<string> {
  const blanked =
    kind === 'demand' ? (record as Demand).confidentialFields.filter((f) => (record as Demand)[f] === null) : [];
  const key = `${kind}:${record.id}:${record.updatedAt}:${blanked.join(',')}`;
  let terms = termsCache.get(key);
  if (!terms) {
    terms = new Set(bigrams(profileText(kind, record)));
    if (termsCache.size >= TERMS_CACHE_SIZE) termsCache.delete(termsCache.keys().next().value!);
    termsCache.set(key, terms);
  }
  return terms;
}

/** A programme's region, widened to its city: commissioners serve the counties around them. */
export function regionOf(code: string): string {
  return code.endsWith('00') ? code : `${code.slice(0, 4)}00`;
}
