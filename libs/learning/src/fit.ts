// Fitting score weights to outcomes: pure functions, no I/O. The model keeps the matcher's form, a weighted mean of
// the parts that apply (combine in libs/matching), so a fitted version ranks exactly by its predicted probability:
//   P(accepted) = sigmoid(intercept + scale * total_w(parts)),  total_w = sum(w_p * x_p) / sum(w_p) over applied parts
// fitted by gradient descent on the propensity-weighted log loss, with the weights pulled toward the configured ones
// by a penalty worth `priorOutcomes` outcomes: with few outcomes the fitted weights are the configured ones.

export type Parts = Readonly<Record<string, number>>;

/** One outcome: the parts its lead was scored with, accepted or not, and how likely it was to be shown at all. */
export interface Outcome {
  parts: Parts;
  accepted: boolean;
  /** The chance the candidate became a lead (1 above the bar, the exploration share below it). */
  propensity: number;
  /** Each part's confidence (its weight is scaled by it, as combine does); absent: 1. */
  confidence?: Parts;
  /** The parts a decline's reason blames ("price mismatch": price); absent: every part. */
  blamed?: readonly string[];
  at: string;
}

export interface Model {
  weights: Record<string, number>;
  intercept: number;
  scale: number;
}

export interface FitOptions {
  /** How many outcomes' worth of pull toward the prior weights. */
  priorOutcomes: number;
  /** No fitted weight (of weights summing to 1) is above this, nor below 0. */
  maxWeight: number;
  iterations?: number;
}

/** Inverse-propensity weights are capped here (a 5% share weighs 20 outcomes, not more). */
const MAX_IPW = 20;

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The weighted mean of the applied parts, as combine computes it (each weight scaled by the part's confidence). */
export function total(weights: Readonly<Record<string, number>>, parts: Parts, confidence?: Parts): number {
  let sum = 0;
  let weight = 0;
  for (const [name, value] of Object.entries(parts)) {
    const w = (weights[name] ?? 0) * (confidence?.[name] ?? 1);
    sum += w * value;
    weight += w;
  }
  return weight > 0 ? sum / weight : 0;
}

export function predict(model: Model, parts: Parts, confidence?: Parts): number {
  return sigmoid(model.intercept + model.scale * total(model.weights, parts, confidence));
}

/** Fits weights, intercept and scale, starting from and pulled toward `prior`. */
export function fit(outcomes: readonly Outcome[], prior: Readonly<Record<string, number>>, options: FitOptions): Model {
  const names = Object.keys(prior);
  const priorSum = names.reduce((s, n) => s + prior[n], 0) || 1;
  const w0 = Object.fromEntries(names.map((n) => [n, prior[n] / priorSum]));
  const s = outcomes.map((o) => Math.min(MAX_IPW, 1 / Math.max(o.propensity, 1e-6)));
  const n = s.reduce((a, b) => a + b, 0);
  let intercept = 0;
  let scale = 0;
  if (n === 0) return { weights: w0, intercept, scale };
  // Start the intercept at the base rate.
  const rate = outcomes.reduce((a, o, i) => a + (o.accepted ? s[i] : 0), 0) / n;
  intercept = Math.log(Math.max(rate, 1e-3) / Math.max(1 - rate, 1e-3));
  const lambda = options.priorOutcomes / n;
  // Dense arrays: x[i * k + p] the value of part p (NaN when it does not apply), c its confidence, blame whether a
  // decline blames it.
  const k = names.length;
  const x = new Float64Array(outcomes.length * k).fill(NaN);
  const c = new Float64Array(outcomes.length * k).fill(1);
  const blame = new Uint8Array(outcomes.length * k).fill(1);
  const y = new Float64Array(outcomes.length);
  outcomes.forEach((o, i) => {
    y[i] = o.accepted ? 1 : 0;
    names.forEach((name, p) => {
      if (name in o.parts) x[i * k + p] = o.parts[name];
      if (o.confidence && name in o.confidence) c[i * k + p] = o.confidence[name];
      if (!o.accepted && o.blamed && !o.blamed.includes(name)) blame[i * k + p] = 0;
    });
  });
  const w = Float64Array.from(names, (name) => w0[name]);
  // Adam: the intercept, the scale and the weights move on very different gradients.
  const m = new Float64Array(k + 2);
  const v = new Float64Array(k + 2);
  const g = new Float64Array(k + 2);
  const iterations = options.iterations ?? 1500;
  for (let t = 1; t <= iterations; t++) {
    g.fill(0);
    for (let i = 0; i < outcomes.length; i++) {
      let sum = 0;
      let weight = 0;
      for (let p = 0; p < k; p++) {
        const value = x[i * k + p];
        if (value !== value) continue; // NaN: the part does not apply
        sum += w[p] * c[i * k + p] * value;
        weight += w[p] * c[i * k + p];
      }
      const tot = weight > 0 ? sum / weight : 0;
      const err = (sigmoid(intercept + scale * tot) - y[i]) * (s[i] / n);
      g[0] += err;
      g[1] += err * tot;
      if (weight === 0) continue;
      for (let p = 0; p < k; p++) {
        const value = x[i * k + p];
        if (value !== value || blame[i * k + p] === 0) continue;
        g[p + 2] += (err * scale * c[i * k + p] * (value - tot)) / weight;
      }
    }
    for (let p = 0; p < k; p++) g[p + 2] += 2 * lambda * (w[p] - w0[names[p]]);
    const step = (j: number) => {
      m[j] = 0.9 * m[j] + 0.1 * g[j];
      v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
      const mh = m[j] / (1 - 0.9 ** t);
      const vh = v[j] / (1 - 0.999 ** t);
      return (0.05 * mh) / (Math.sqrt(vh) + 1e-8);
    };
    intercept -= step(0);
    scale -= step(1);
    // Weights live in [0, 1]: smaller steps than the scale's.
    for (let p = 0; p < k; p++) w[p] = Math.min(1, Math.max(0, w[p] - 0.2 * step(p + 2)));
  }
  // The weights sum to 1 as the configured ones do; the scale absorbs the factor.
  const sum = w.reduce((a, b) => a + b, 0) || 1;
  return {
    weights: bounded(Object.fromEntries(names.map((name, p) => [name, w[p] / sum])), options.maxWeight),
    intercept,
    scale,
  };
}

/** Weights summing to 1 with none above `max`: the excess of a capped one goes to the others, in proportion. */
export function bounded(weights: Record<string, number>, max: number): Record<string, number> {
  const w = { ...weights };
  for (let round = 0; round < 10; round++) {
    const over = Object.keys(w).filter((n) => w[n] > max);
    if (over.length === 0) break;
    const excess = over.reduce((a, n) => a + w[n] - max, 0);
    over.forEach((n) => (w[n] = max));
    const free = Object.keys(w).filter((n) => w[n] < max);
    const room = free.reduce((a, n) => a + w[n], 0);
    free.forEach((n) => (w[n] += room > 0 ? (excess * w[n]) / room : excess / free.length));
  }
  return w;
}

/** Area under the ROC curve of scores against labels, with sample weights (ties count half). */
export function auc(scores: readonly number[], labels: readonly boolean[], weights?: readonly number[]): number {
  const order = scores.map((x, i) => i).sort((a, b) => scores[a] - scores[b]);
  let negatives = 0;
  let positives = 0;
  let area = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    let pos = 0;
    let neg = 0;
    while (j < order.length && scores[order[j]] === scores[order[i]]) {
      const k = order[j++];
      if (labels[k]) pos += weights?.[k] ?? 1;
      else neg += weights?.[k] ?? 1;
    }
    area += pos * (negatives + neg / 2);
    negatives += neg;
    positives += pos;
    i = j;
  }
  return positives === 0 || negatives === 0 ? 0.5 : area / (positives * negatives);
}

/**
 * How sure is it that scores `a` rank the labels better than scores `b`? The 2.5th percentile of the AUC difference
 * over paired bootstrap resamples of the outcomes (seeded: the same data give the same answer).
 */
export function aucGainLowerBound(
  a: readonly number[],
  b: readonly number[],
  labels: readonly boolean[],
  weights?: readonly number[],
  resamples = 400,
): number {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const gains: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const pick = Array.from({ length: labels.length }, () => Math.floor(random() * labels.length));
    const sub = <T>(xs: readonly T[]) => pick.map((i) => xs[i]);
    const w = weights && sub(weights);
    gains.push(auc(sub(a), sub(labels), w) - auc(sub(b), sub(labels), w));
  }
  return gains.sort((x, y) => x - y)[Math.floor(resamples * 0.025)];
}

export function logLoss(probabilities: readonly number[], labels: readonly boolean[], weights?: readonly number[]) {
  let sum = 0;
  let n = 0;
  probabilities.forEach((p, i) => {
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
    const w = weights?.[i] ?? 1;
    sum -= w * (labels[i] ? Math.log(q) : Math.log(1 - q));
    n += w;
  });
  return n > 0 ? sum / n : 0;
}

/** Platt scaling: the a, b of sigmoid(a * score + b) that fit the labels best (Newton's method on the log loss). */
export function platt(scores: readonly number[], labels: readonly boolean[]): { a: number; b: number } {
  // Platt's smoothed targets keep a and b finite on separable data.
  const pos = labels.filter(Boolean).length;
  const neg = labels.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  let a = 1;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let [ga, gb, haa, hab, hbb] = [0, 0, 1e-9, 0, 1e-9];
    scores.forEach((x, i) => {
      const p = sigmoid(a * x + b);
      const d = p - (labels[i] ? hi : lo);
      const h = p * (1 - p);
      ga += d * x;
      gb += d;
      haa += h * x * x;
      hab += h * x;
      hbb += h;
    });
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export interface CalibrationBucket {
  from: number;
  to: number;
  predicted: number;
  observed: number;
  count: number;
}

/** Predicted against observed acceptance in five equal-width buckets of the predicted probability. */
export function calibration(probabilities: readonly number[], labels: readonly boolean[]): CalibrationBucket[] {
  return [0, 0.2, 0.4, 0.6, 0.8].flatMap((from) => {
    const to = from + 0.2;
    const inside = probabilities.flatMap((p, i) => (p >= from && (p < to || (to >= 1 && p <= 1)) ? [i] : []));
    if (inside.length === 0) return [];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return [
      {
        from,
        to: Math.min(1, +to.toFixed(1)),
        predicted: mean(inside.map((i) => probabilities[i])),
        observed: mean(inside.map((i) => (labels[i] ? 1 : 0))),
        count: inside.length,
      },
    ];
  });
}
