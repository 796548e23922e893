import { findRegion, industryDivision, regionProximity, type RegionProximity } from '@app/taxonomy';

/** Relative weight of each part of a match score: configuration (defaults and MATCH_WEIGHTS in libs/config). */
export interface MatchWeights {
  semantic: number;
  keywords: number;
  industry: number;
  region: number;
  readiness: number;
  price: number;
  cooperation: number;
  green: number;
}

export interface Bilingual {
  zh: string;
  en: string;
}

/** One part of a score: a value in [0, 1] and why. Parts that do not apply to a pair are left out. */
export interface ScorePart {
  name: keyof MatchWeights;
  value: number;
  why: Bilingual;
  /**
   * How much evidence the value rests on, in (0, 1]: the part's weight is scaled by it (absent: 1). A short need's
   * shared keywords prove less than a paragraph's.
   */
  confidence?: number;
}

export interface MatchScore {
  /** Weighted mean of the parts that apply, in [0, 1]. */
  total: number;
  /** Each with the weight it counted with (its configured weight times its confidence). */
  parts: (ScorePart & { weight: number })[];
  explanation: Bilingual;
}

const clamp = (x: number) => Math.max(0, Math.min(1, x));

export function semanticPart(similarity: number): ScorePart {
  const s = similarity.toFixed(2);
  return { name: 'semantic', value: clamp(similarity), why: { zh: `语义相似度 ${s}`, en: `semantic similarity ${s}` } };
}

/** Same class > same group > same division > same section > different; unknown on either side: not scored. */
export function industryPart(need: string | null | undefined, offers: readonly string[]): ScorePart | undefined {
  if (!need || offers.length === 0) return undefined;
  const best = Math.max(...offers.map((o) => industryCloseness(need, o)));
  const division = industryDivision(need);
  const name = division ? `${division.code} ${division.name}` : need;
  if (best >= 0.8)
    return { name: 'industry', value: best, why: { zh: `同行业（${name}）`, en: `same industry (${name})` } };
  if (best > 0) return { name: 'industry', value: best, why: { zh: '同一行业门类', en: 'same industry section' } };
  return { name: 'industry', value: 0, why: { zh: '行业不同', en: 'different industry' } };
}

export function industryCloseness(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length >= 3 && b.length >= 3 && a.slice(0, 3) === b.slice(0, 3)) return 0.9;
  if (a.slice(0, 2) === b.slice(0, 2)) return 0.8;
  const [sa, sb] = [industryDivision(a)?.section, industryDivision(b)?.section];
  return sa && sa === sb ? 0.4 : 0;
}

const PROXIMITY_VALUE: Record<RegionProximity, number> = {
  same_county: 1,
  same_city: 0.85,
  same_province: 0.7,
  yangtze_river_delta: 0.5,
  elsewhere: 0.3,
};

/** Same county > same city > same province > Yangtze River Delta > elsewhere; the closest of the offer's regions. */
export function regionPart(need: string, offers: readonly string[]): ScorePart | undefined {
  if (offers.length === 0) return undefined;
  const ranked = offers
    .map((o) => ({ o, p: regionProximity(need, o) }))
    .sort((x, y) => PROXIMITY_VALUE[y.p] - PROXIMITY_VALUE[x.p]);
  const { o, p } = ranked[0];
  const place = (code: string) => findRegion(code)?.name ?? code;
  const why: Record<RegionProximity, Bilingual> = {
    same_county: { zh: `同区县（${place(o)}）`, en: `same county (${place(o)})` },
    same_city: { zh: `同城（${place(`${o.slice(0, 4)}00`)}）`, en: `same city (${place(`${o.slice(0, 4)}00`)})` },
    same_province: {
      zh: `同省（${place(`${o.slice(0, 2)}0000`)}）`,
      en: `same province (${place(`${o.slice(0, 2)}0000`)})`,
    },
    yangtze_river_delta: {
      zh: `长三角（${place(`${o.slice(0, 2)}0000`)}）`,
      en: `Yangtze River Delta (${place(`${o.slice(0, 2)}0000`)})`,
    },
    elsewhere: { zh: `外地（${place(o)}）`, en: `elsewhere (${place(o)})` },
  };
  return { name: 'region', value: PROXIMITY_VALUE[p], why: why[p] };
}

/** A readiness level at or above the required one is a full fit; each level short costs a quarter. */
export function readinessPart(
  level: number | null | undefined,
  required: number | null | undefined,
): ScorePart | undefined {
  if (!level || !required) return undefined;
  if (level >= required) {
    return {
      name: 'readiness',
      value: 1,
      why: { zh: `成熟度 TRL ${level} ≥ 要求 ${required}`, en: `TRL ${level} >= required ${required}` },
    };
  }
  return {
    name: 'readiness',
    value: clamp(1 - 0.25 * (required - level)),
    why: { zh: `成熟度 TRL ${level} < 要求 ${required}`, en: `TRL ${level} < required ${required}` },
  };
}

/** An asking price within the budget fits; above it, the fit falls with the overshoot; below it, still fine. */
export function pricePart(
  asking: number | null | undefined,
  min: number | null | undefined,
  max: number | null | undefined,
): ScorePart | undefined {
  if (asking == null || (min == null && max == null)) return undefined;
  // An open-ended budget reads "≤40万" / "up to 400k" and "≥50万" / "from 500k", not "–40万".
  const range =
    min == null
      ? { zh: `≤${wan(max!)}`, en: `up to ${short(max!)}` }
      : max == null
        ? { zh: `≥${wan(min)}`, en: `from ${short(min)}` }
        : { zh: `${wan(min)}–${wan(max)}`, en: `${short(min)}-${short(max)}` };
  if (max != null && asking > max) {
    return {
      name: 'price',
      value: clamp(1 - (asking - max) / Math.max(max, 1)),
      why: { zh: `报价 ${wan(asking)} 超出预算 ${range.zh}`, en: `asking ${short(asking)} above budget ${range.en}` },
    };
  }
  if (min != null && asking < min) {
    return {
      name: 'price',
      value: 0.9,
      why: { zh: `报价 ${wan(asking)} 低于预算 ${range.zh}`, en: `asking ${short(asking)} below budget ${range.en}` },
    };
  }
  return {
    name: 'price',
    value: 1,
    why: { zh: `报价 ${wan(asking)} 在预算 ${range.zh} 内`, en: `asking ${short(asking)} within budget ${range.en}` },
  };
}

const MODE_NAMES: Record<string, Bilingual> = {
  transfer: { zh: '技术转让', en: 'transfer' },
  licence: { zh: '许可', en: 'licence' },
  equity: { zh: '作价入股', en: 'equity' },
  joint_development: { zh: '合作开发', en: 'joint development' },
  service: { zh: '技术服务', en: 'service' },
};

export function cooperationPart(wanted: readonly string[], offered: readonly string[]): ScorePart | undefined {
  if (wanted.length === 0 || offered.length === 0) return undefined;
  const common = wanted.filter((m) => offered.includes(m));
  if (common.length === 0)
    return { name: 'cooperation', value: 0, why: { zh: '合作方式不一致', en: 'no common cooperation mode' } };
  return {
    name: 'cooperation',
    value: 1,
    why: {
      zh: `合作方式：${common.map((m) => MODE_NAMES[m]?.zh ?? m).join('、')}`,
      en: `cooperation: ${common.map((m) => MODE_NAMES[m]?.en ?? m).join(', ')}`,
    },
  };
}

/** Scored only when the demand asks for green technology. */
export function greenPart(preferred: boolean, green: boolean | undefined): ScorePart | undefined {
  if (!preferred || green === undefined) return undefined;
  return green
    ? { name: 'green', value: 1, why: { zh: '绿色技术', en: 'green technology' } }
    : { name: 'green', value: 0, why: { zh: '非绿色技术', en: 'not green technology' } };
}

/** The weighted mean of the parts that apply, and an explanation that names the strongest parts first. */
export function combine(parts: (ScorePart | undefined)[], weights: MatchWeights): MatchScore {
  const applied = parts
    .filter((p): p is ScorePart => p !== undefined)
    .map((p) => ({ ...p, weight: weights[p.name] * (p.confidence ?? 1) }));
  const totalWeight = applied.reduce((s, p) => s + p.weight, 0) || 1;
  const total = applied.reduce((s, p) => s + p.weight * p.value, 0) / totalWeight;
  const ordered = [...applied].sort((a, b) => b.weight * b.value - a.weight * a.value);
  return {
    total,
    parts: applied,
    explanation: { zh: ordered.map((p) => p.why.zh).join('；'), en: ordered.map((p) => p.why.en).join('; ') },
  };
}

/** 800000 -> 80万, 12000000 -> 1200万 */
export function wan(cny: number): string {
  return `${+(cny / 10_000).toFixed(2)}万`;
}

/** 800000 -> 800k, 1000000 -> 1M */
export function short(cny: number): string {
  if (cny >= 1_000_000) return `${+(cny / 1_000_000).toFixed(2)}M`;
  if (cny >= 1_000) return `${+(cny / 1_000).toFixed(1)}k`;
  return String(cny);
}
