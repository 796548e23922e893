import { auc, aucGainLowerBound, calibration, fit, logLoss, platt, predict, sigmoid, total, type Outcome } from './fit';

const PRIOR = { semantic: 0.5, keywords: 0.25, region: 0.15, price: 0.1 };

/** A seeded generator: the tests see the same outcomes every run. */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Outcomes drawn from a hidden model over random parts. */
function outcomes(count: number, hidden: Record<string, number>, seed = 7): Outcome[] {
  const r = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const parts = { semantic: 0.4 + 0.5 * r(), keywords: r(), region: r(), price: r() };
    const p = sigmoid(-6 + 12 * total(hidden, parts));
    return { parts, accepted: r() < p, propensity: 1, at: new Date(i * 1000).toISOString() };
  });
}

describe('fit', () => {
  it('recovers the weights that generated the outcomes', () => {
    const hidden = { semantic: 0.2, keywords: 0.1, region: 0.4, price: 0.3 };
    const model = fit(outcomes(4000, hidden), PRIOR, { priorOutcomes: 50, maxWeight: 0.8 });
    for (const [name, w] of Object.entries(hidden)) expect(Math.abs(model.weights[name] - w)).toBeLessThan(0.07);
    expect(model.scale).toBeGreaterThan(5);
  });

  it('keeps the prior weights with few outcomes, and when outcomes are random', () => {
    const few = fit(outcomes(20, { semantic: 0, keywords: 0, region: 1, price: 0 }), PRIOR, {
      priorOutcomes: 500,
      maxWeight: 0.8,
    });
    for (const [name, w] of Object.entries(PRIOR)) expect(Math.abs(few.weights[name] - w)).toBeLessThan(0.05);
    const r = random(3);
    const noise = outcomes(3000, PRIOR).map((o) => ({ ...o, accepted: r() < 0.3 }));
    const model = fit(noise, PRIOR, { priorOutcomes: 200, maxWeight: 0.8 });
    for (const [name, w] of Object.entries(PRIOR)) expect(Math.abs(model.weights[name] - w)).toBeLessThan(0.1);
    expect(Math.abs(model.scale)).toBeLessThan(1.5);
  });

  it('blames only the parts a decline names', () => {
    const base = outcomes(2000, PRIOR);
    // Declines that blame price, on pairs whose price looked fine: only price's weight may fall.
    const declines = base.map((o) => ({ ...o, accepted: false, parts: { ...o.parts, price: 1 }, blamed: ['price'] }));
    const before = fit(base, PRIOR, { priorOutcomes: 50, maxWeight: 0.8 });
    const after = fit([...base, ...declines], PRIOR, { priorOutcomes: 50, maxWeight: 0.8 });
    expect(after.weights.price).toBeLessThan(before.weights.price - 0.03);
  });

  it('weighs an outcome by the inverse of its chance of being shown', () => {
    const hidden = { semantic: 0.1, keywords: 0.1, region: 0.7, price: 0.1 };
    const all = outcomes(3000, hidden);
    // Only high-region pairs were shown, except a 10% share of the rest: weighted, the fit still sees region's role.
    const r = random(11);
    const shown = all.flatMap((o) => (o.parts.region > 0.5 ? [o] : r() < 0.1 ? [{ ...o, propensity: 0.1 }] : []));
    const model = fit(shown, PRIOR, { priorOutcomes: 50, maxWeight: 0.8 });
    expect(model.weights.region).toBeGreaterThan(0.45);
  });

  it('never fits a weight outside [0, maxWeight]', () => {
    const model = fit(outcomes(3000, { semantic: 0, keywords: 0, region: 1, price: 0 }), PRIOR, {
      priorOutcomes: 10,
      maxWeight: 0.6,
    });
    for (const w of Object.values(model.weights)) {
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(0.6 + 1e-9);
    }
    expect(model.weights.region).toBeCloseTo(0.6);
    expect(Object.values(model.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });
});

describe('metrics and calibration', () => {
  it('AUC: 1 for a perfect ranking, 0.5 for ties, 0 reversed', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(auc([0.5, 0.5, 0.5], [true, false, true])).toBe(0.5);
    expect(auc([0.9, 0.1], [false, true])).toBe(0);
  });

  it('AUC gain: sure for a clearly better ranking, not for noise', () => {
    const r = random(9);
    const labels = Array.from({ length: 400 }, () => r() < 0.4);
    const good = labels.map((y) => (y ? 0.6 : 0.4) + 0.5 * r());
    const noise = labels.map(() => r());
    const otherNoise = labels.map(() => r());
    expect(aucGainLowerBound(good, noise, labels)).toBeGreaterThan(0.1);
    expect(aucGainLowerBound(otherNoise, noise, labels)).toBeLessThan(0);
  });

  it('log loss: low for confident right answers, high for confident wrong ones', () => {
    expect(logLoss([0.99, 0.01], [true, false])).toBeLessThan(0.02);
    expect(logLoss([0.01], [true])).toBeGreaterThan(4);
  });

  it('Platt scaling maps scores to the observed rates', () => {
    const r = random(5);
    const scores = Array.from({ length: 2000 }, () => r());
    const labels = scores.map((x) => r() < sigmoid(8 * x - 4));
    const { a, b } = platt(scores, labels);
    expect(a).toBeGreaterThan(6);
    expect(a).toBeLessThan(10);
    expect(b).toBeLessThan(-3);
    const buckets = calibration(
      scores.map((x) => sigmoid(a * x + b)),
      labels,
    );
    for (const bucket of buckets.filter((k) => k.count > 100))
      expect(Math.abs(bucket.predicted - bucket.observed)).toBeLessThan(0.08);
  });

  it('predict is monotone in the weighted total', () => {
    const model = { weights: PRIOR, intercept: -3, scale: 6 };
    expect(predict(model, { semantic: 0.9, keywords: 0.5 })).toBeGreaterThan(
      predict(model, { semantic: 0.5, keywords: 0.5 }),
    );
  });
});
