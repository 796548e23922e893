// Suggesting a label (an industry division, a discipline) for a draft text: pure, over similarities already computed.

/** The draft's similarity to one label's prototype (the mean vector of the catalogue's records carrying it). */
export interface PrototypeSimilarity {
  label: string;
  similarity: number;
  /** Records the prototype is the mean of. */
  records: number;
}

export interface LabelSuggestion {
  label: string;
  /** 0-1: the label's share of the combined evidence. */
  confidence: number;
}

export interface FieldSuggestions {
  suggestions: LabelSuggestion[];
  /**
   * Which evidence weighed more for the first suggestion: the catalogue's labelled records (`catalogue`), or the
   * similarity to the taxonomy's own names (`taxonomy`, the prior, which decides on a small catalogue).
   */
  decidedBy: 'catalogue' | 'taxonomy';
}

/**
 * The softmax temperature over cosine similarities and the prior's strength, measured with `npm run eval:assist`
 * (FewCLUE CSLDCP abstracts against CSL dev's disciplines; docs/measurements.md, "Demand assistant"): the top-1 and
 * top-3 accuracies are flat for temperatures 0.03-0.08 and a name weight of 0.2-0.3 on a catalogue of 1,000.
 */
export const FIELD_TEMPERATURE = 0.05;
export const NAME_WEIGHT_FLOOR = 0.2;
/** Labelled records at which the catalogue and the names weigh the same (above the floor). */
export const PRIOR_RECORDS = 20;

/**
 * The labels most likely for a draft: the softmax of its similarities to each label's prototype, mixed with the
 * softmax of its similarities to the labels' names. The names' weight falls from 1 (no labelled record: a cold
 * start) towards NAME_WEIGHT_FLOOR as the catalogue grows.
 */
export function suggestFields(
  prototypes: readonly PrototypeSimilarity[],
  names: readonly { label: string; similarity: number }[],
  top = 3,
): FieldSuggestions {
  const labelled = prototypes.reduce((s, p) => s + p.records, 0);
  const nameWeight = NAME_WEIGHT_FLOOR + (1 - NAME_WEIGHT_FLOOR) * (PRIOR_RECORDS / (PRIOR_RECORDS + labelled));
  const fromCatalogue = softmax(prototypes.filter((p) => p.records > 0));
  const fromNames = softmax(names);
  const labels = new Set([...fromCatalogue.keys(), ...fromNames.keys()]);
  const scored = [...labels].map((label) => {
    const catalogue = (1 - nameWeight) * (fromCatalogue.get(label) ?? 0);
    const taxonomy = nameWeight * (fromNames.get(label) ?? 0);
    return { label, confidence: catalogue + taxonomy, catalogue, taxonomy };
  });
  scored.sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label));
  const first = scored[0];
  return {
    suggestions: scored.slice(0, top).map((s) => ({ label: s.label, confidence: round(s.confidence) })),
    decidedBy: first && first.catalogue >= first.taxonomy ? 'catalogue' : 'taxonomy',
  };
}

/** Each label's prototype: the normalised mean of the vectors of the records carrying it, and how many those are. */
export function labelPrototypes(
  records: Iterable<{ labels: readonly string[]; vector: Float32Array }>,
): Map<string, { vector: Float32Array; records: number }> {
  const sums = new Map<string, { vector: Float32Array; records: number }>();
  for (const { labels, vector } of records)
    for (const label of new Set(labels)) {
      const s = sums.get(label) ?? { vector: new Float32Array(vector.length), records: 0 };
      for (let i = 0; i < vector.length; i++) s.vector[i] += vector[i];
      s.records++;
      sums.set(label, s);
    }
  for (const s of sums.values()) {
    let norm = 0;
    for (const x of s.vector) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < s.vector.length; i++) s.vector[i] /= norm;
  }
  return sums;
}

function softmax(items: readonly { label: string; similarity: number }[]): Map<string, number> {
  if (items.length === 0) return new Map();
  const max = Math.max(...items.map((i) => i.similarity));
  const e = items.map((i) => Math.exp((i.similarity - max) / FIELD_TEMPERATURE));
  const z = e.reduce((a, b) => a + b, 0);
  return new Map(items.map((i, k) => [i.label, e[k] / z]));
}

const round = (x: number) => Math.round(x * 1000) / 1000;
