import { dot, l2Normalise } from '@app/embedding';
import { industryCloseness, type Bilingual } from '@app/matching';
import { findRegion, regionPrefix, regionProximity } from '@app/taxonomy';

/** A broker who might take a lead, with what the choice weighs. */
export interface BrokerCandidate {
  id: string;
  name: string;
  industryCodes: string[];
  regionCodes: string[];
  capacity: number;
  openLeads: number;
  /** Unit-length vector of the broker's expertise, or null while it is being embedded. */
  vector: Float32Array | null;
  /** Offers this broker accepted, and offers answered either way (accepted, declined or lapsed). */
  accepted: number;
  answered: number;
  /** Median hours from offer to acceptance, null without history. */
  medianResponseHours: number | null;
  lastOfferedAt: Date | null;
  /** The broker's credit score (0-100) under the rule in force, null when it could not be read. */
  creditScore: number | null;
}

/** What the choice needs to know of a demand and its partner. */
export interface PairFacts {
  /** Unit-length mean of the two vectors, or null when either has none. */
  vector: Float32Array | null;
  industryCode: string | null;
  regionCode: string;
}

export type AssignmentFactor = 'expertise' | 'industry' | 'region' | 'load' | 'acceptance' | 'speed' | 'credit';

/** Relative weight of each factor: AppConfig's leads.assignmentWeights (defaults and BROKER_WEIGHTS). */
export type AssignmentWeights = Record<AssignmentFactor, number>;

export interface AssignmentFactorScore {
  name: AssignmentFactor;
  value: number;
  why: Bilingual;
}

export interface Assignment {
  brokerId: string;
  score: number;
  factors: AssignmentFactorScore[];
  explanation: Bilingual;
  /** How many eligible brokers there were, and whether the top score was shared (then the fair tie-break decided). */
  eligible: number;
  tieBroken: boolean;
}

/** Scores within this distance count as a tie, decided in favour of the broker with the least work and wait. */
const TIE = 0.01;

/**
 * Picks the broker best placed for a pair: expertise close to the pair, covering its industry and region, with room
 * under capacity, who accepts and answers offers, with a good credit record. Brokers already offered this lead and
 * brokers at capacity are not eligible; null when no one is.
 */
export function chooseBroker(
  pair: PairFacts,
  candidates: readonly BrokerCandidate[],
  alreadyOffered: ReadonlySet<string>,
  weights: AssignmentWeights,
): Assignment | null {
  const eligible = candidates.filter((c) => c.openLeads < c.capacity && !alreadyOffered.has(c.id));
  if (eligible.length === 0) return null;
  const scored = eligible.map((c) => {
    const factors = scoreFactors(pair, c);
    const score = factors.reduce((s, f) => s + weights[f.name] * f.value, 0);
    return { c, factors, score };
  });
  scored.sort(
    (a, b) =>
      (Math.abs(b.score - a.score) > TIE ? b.score - a.score : 0) ||
      a.c.openLeads / Math.max(1, a.c.capacity) - b.c.openLeads / Math.max(1, b.c.capacity) ||
      (a.c.lastOfferedAt?.getTime() ?? 0) - (b.c.lastOfferedAt?.getTime() ?? 0) ||
      a.c.id.localeCompare(b.c.id),
  );
  const best = scored[0];
  const tieBroken = scored.length > 1 && Math.abs(scored[1].score - best.score) <= TIE;
  const ordered = [...best.factors].sort((x, y) => weights[y.name] * y.value - weights[x.name] * x.value);
  const tie: Bilingual[] = tieBroken
    ? [
        {
          zh: '与其他经纪人得分相同，按当前工作量与等待时间分配',
          en: 'tied with another broker: the one with less work and a longer wait was chosen',
        },
      ]
    : [];
  const lines = [...ordered.map((f) => f.why), ...tie];
  return {
    brokerId: best.c.id,
    score: best.score,
    factors: best.factors,
    explanation: { zh: lines.map((l) => l.zh).join('；'), en: lines.map((l) => l.en).join('; ') },
    eligible: eligible.length,
    tieBroken,
  };
}

function scoreFactors(pair: PairFacts, c: BrokerCandidate): AssignmentFactorScore[] {
  const similarity = pair.vector && c.vector ? Math.max(0, dot(pair.vector, c.vector)) : 0;
  const industry = industryFactor(pair.industryCode, c.industryCodes);
  const region = regionFactor(pair.regionCode, c.regionCodes);
  const free = 1 - c.openLeads / Math.max(1, c.capacity);
  // Beta(2, 1) prior: a new broker starts at 2/3, neither trusted nor distrusted.
  const acceptance = (c.accepted + 2) / (c.answered + 3);
  const speed = c.medianResponseHours === null ? 0.5 : 1 / (1 + c.medianResponseHours / 24);
  const credit = c.creditScore === null ? 0.5 : c.creditScore / 100;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return [
    {
      name: 'expertise',
      value: similarity,
      why: { zh: `专长相似度 ${similarity.toFixed(2)}`, en: `expertise similarity ${similarity.toFixed(2)}` },
    },
    { name: 'industry', ...industry },
    { name: 'region', ...region },
    {
      name: 'load',
      value: free,
      why: {
        zh: `在办线索 ${c.openLeads}/${c.capacity}`,
        en: `${c.openLeads} of ${c.capacity} open leads`,
      },
    },
    {
      name: 'acceptance',
      value: acceptance,
      why:
        c.answered === 0
          ? { zh: '暂无接受记录', en: 'no acceptance history yet' }
          : {
              zh: `接受率 ${pct(c.accepted / c.answered)}（${c.answered} 条）`,
              en: `accepts ${pct(c.accepted / c.answered)} of ${c.answered} offers`,
            },
    },
    {
      name: 'speed',
      value: speed,
      why:
        c.medianResponseHours === null
          ? { zh: '暂无响应记录', en: 'no response history yet' }
          : {
              zh: `响应中位时长 ${c.medianResponseHours.toFixed(1)} 小时`,
              en: `median response ${c.medianResponseHours.toFixed(1)} h`,
            },
    },
    {
      name: 'credit',
      value: credit,
      why:
        c.creditScore === null
          ? { zh: '信用记录暂不可读', en: 'credit record unavailable' }
          : { zh: `信用分 ${c.creditScore}`, en: `credit score ${c.creditScore}` },
    },
  ];
}

function industryFactor(need: string | null, covered: readonly string[]): { value: number; why: Bilingual } {
  if (covered.length === 0) return { value: 0.5, why: { zh: '不限行业', en: 'covers every industry' } };
  if (!need) return { value: 0.5, why: { zh: '需求未注明行业', en: 'demand names no industry' } };
  const best = Math.max(...covered.map((c) => industryCloseness(need, c)));
  if (best >= 0.8) return { value: best, why: { zh: `负责该行业（${need}）`, en: `covers the industry (${need})` } };
  return { value: best, why: { zh: '不负责该行业', en: 'does not cover the industry' } };
}

function regionFactor(need: string, covered: readonly string[]): { value: number; why: Bilingual } {
  if (covered.length === 0) return { value: 0.5, why: { zh: '不限地区', en: 'covers every region' } };
  const place = findRegion(need)?.name ?? need;
  if (covered.some((c) => need.startsWith(regionPrefix(c))))
    return { value: 1, why: { zh: `负责该地区（${place}）`, en: `covers the region (${place})` } };
  const value = Math.max(...covered.map((c) => PROXIMITY[regionProximity(need, c)]));
  return { value, why: { zh: `邻近地区（${place}）`, en: `near the region (${place})` } };
}

const PROXIMITY = { same_county: 1, same_city: 0.8, same_province: 0.6, yangtze_river_delta: 0.4, elsewhere: 0 };

/** The unit-length mean of two unit vectors: a direction between the demand and its partner. */
export function pairVector(a: Float32Array | null, b: Float32Array | null): Float32Array | null {
  if (!a || !b || a.length !== b.length) return null;
  const v = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) v[i] = a[i] + b[i];
  return l2Normalise(v);
}
