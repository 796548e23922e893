import { DEFAULT_MATCH_WEIGHTS } from '@app/config';
import {
  combine,
  cooperationPart,
  greenPart,
  industryPart,
  pricePart,
  readinessPart,
  regionPart,
  semanticPart,
  short,
  wan,
} from './scoring';

describe('scoring parts', () => {
  it('semantic: the similarity, clamped to [0, 1]', () => {
    expect(semanticPart(0.8234).value).toBeCloseTo(0.8234);
    expect(semanticPart(-0.1).value).toBe(0);
    expect(semanticPart(0.8234).why.en).toBe('semantic similarity 0.82');
  });

  it.each([
    ['3841', ['3841'], 1],
    ['3841', ['3842'], 0.9],
    ['3841', ['3811'], 0.8],
    ['38', ['3911'], 0.4],
    ['38', ['65'], 0],
  ])('industry: %s against %j is %d', (need, offers, value) => {
    expect(industryPart(need, offers)!.value).toBe(value);
  });

  it('industry: not scored when either side has none', () => {
    expect(industryPart(null, ['38'])).toBeUndefined();
    expect(industryPart('38', [])).toBeUndefined();
    expect(industryPart('42', ['42'])!.why.zh).toBe('同行业（42 废弃资源综合利用业）');
  });

  it.each([
    ['330502', '330502', 1, 'same county (吴兴区)'],
    ['330502', '330503', 0.85, 'same city (湖州市)'],
    ['330502', '330106', 0.7, 'same province (浙江省)'],
    ['330502', '320500', 0.5, 'Yangtze River Delta (江苏省)'],
    ['330502', '440300', 0.3, 'elsewhere (深圳市)'],
  ])('region: %s against %s', (need, offer, value, en) => {
    const part = regionPart(need, [offer])!;
    expect(part.value).toBe(value);
    expect(part.why.en).toBe(en);
  });

  it('region: the closest of several regions served counts', () => {
    expect(regionPart('330502', ['440300', '330500'])!.value).toBe(0.85);
  });

  it('readiness: at or above the requirement fits; each level short costs a quarter', () => {
    expect(readinessPart(6, 5)).toMatchObject({
      value: 1,
      why: { en: 'TRL 6 >= required 5', zh: '成熟度 TRL 6 ≥ 要求 5' },
    });
    expect(readinessPart(3, 5)!.value).toBe(0.5);
    expect(readinessPart(1, 9)!.value).toBe(0);
    expect(readinessPart(6, null)).toBeUndefined();
  });

  it('price: within, above and below the budget', () => {
    expect(pricePart(800_000, 500_000, 1_000_000)).toMatchObject({
      value: 1,
      why: { en: 'asking 800k within budget 500k-1M', zh: '报价 80万 在预算 50万–100万 内' },
    });
    expect(pricePart(1_500_000, 500_000, 1_000_000)!.value).toBeCloseTo(0.5);
    expect(pricePart(3_000_000, null, 1_000_000)!.value).toBe(0);
    expect(pricePart(100_000, 500_000, 1_000_000)!.value).toBe(0.9);
    expect(pricePart(null, 1, 2)).toBeUndefined();
    expect(pricePart(5, null, null)).toBeUndefined();
  });

  it('price: an open-ended budget is named by its one bound', () => {
    expect(pricePart(300_000, null, 400_000)!.why).toEqual({
      zh: '报价 30万 在预算 ≤40万 内',
      en: 'asking 300k within budget up to 400k',
    });
    expect(pricePart(300_000, 500_000, null)!.why.en).toBe('asking 300k below budget from 500k');
  });

  it('cooperation: a common mode fits, none does not', () => {
    expect(cooperationPart(['transfer', 'licence'], ['licence'])).toMatchObject({
      value: 1,
      why: { zh: '合作方式：许可' },
    });
    expect(cooperationPart(['equity'], ['licence'])!.value).toBe(0);
    expect(cooperationPart([], ['licence'])).toBeUndefined();
  });

  it('green: scored only when asked for', () => {
    expect(greenPart(true, true)!.value).toBe(1);
    expect(greenPart(true, false)!.value).toBe(0);
    expect(greenPart(false, true)).toBeUndefined();
  });
});

describe('combine', () => {
  it('is the weighted mean of the parts that apply, explained strongest first', () => {
    const score = combine(
      [semanticPart(0.8), readinessPart(6, 5), undefined, regionPart('330502', ['440300'])],
      DEFAULT_MATCH_WEIGHTS,
    );
    const w = DEFAULT_MATCH_WEIGHTS;
    expect(score.total).toBeCloseTo(
      (0.8 * w.semantic + 1 * w.readiness + 0.3 * w.region) / (w.semantic + w.readiness + w.region),
    );
    expect(score.parts.map((p) => p.name)).toEqual(['semantic', 'readiness', 'region']);
    expect(score.explanation.en).toBe('semantic similarity 0.80; TRL 6 >= required 5; elsewhere (深圳市)');
  });

  it("scales a part's weight by its confidence", () => {
    const w = DEFAULT_MATCH_WEIGHTS;
    const keywords = { name: 'keywords' as const, value: 1, confidence: 0.5, why: { zh: '', en: '' } };
    const score = combine([semanticPart(0.6), keywords], w);
    expect(score.total).toBeCloseTo((0.6 * w.semantic + 0.5 * w.keywords) / (w.semantic + 0.5 * w.keywords));
    expect(score.parts[1].weight).toBeCloseTo(0.5 * w.keywords);
  });

  it('ranks a pair that fits on every count above one that fits only semantically', () => {
    const good = combine(
      [semanticPart(0.7), readinessPart(7, 5), pricePart(8e5, 5e5, 1e6), regionPart('330502', ['330503'])],
      DEFAULT_MATCH_WEIGHTS,
    );
    const poor = combine(
      [semanticPart(0.72), readinessPart(2, 5), pricePart(5e6, 5e5, 1e6), regionPart('330502', ['440300'])],
      DEFAULT_MATCH_WEIGHTS,
    );
    expect(good.total).toBeGreaterThan(poor.total);
  });
});

describe('money', () => {
  it.each([
    [800_000, '80万', '800k'],
    [1_000_000, '100万', '1M'],
    [12_500_000, '1250万', '12.5M'],
    [500, '0.05万', '500'],
  ])('%d is %s / %s', (cny, zh, en) => {
    expect(wan(cny)).toBe(zh);
    expect(short(cny)).toBe(en);
  });
});
