import { NAME_WEIGHT_FLOOR, suggestFields, type PrototypeSimilarity } from './field-suggestion';

const names = [
  { label: '39', similarity: 0.55 },
  { label: '27', similarity: 0.5 },
  { label: '13', similarity: 0.45 },
  { label: '65', similarity: 0.4 },
];

describe('suggestFields', () => {
  it('follows the taxonomy names on an empty catalogue (cold start) and says so', () => {
    const sut = suggestFields([], names);
    expect(sut.suggestions.map((s) => s.label)).toEqual(['39', '27', '13']);
    expect(sut.decidedBy).toBe('taxonomy');
    expect(sut.suggestions[0].confidence).toBeGreaterThan(sut.suggestions[1].confidence);
  });

  it('follows the catalogue when many labelled records disagree with the names', () => {
    const prototypes: PrototypeSimilarity[] = [
      { label: '27', similarity: 0.8, records: 400 },
      { label: '39', similarity: 0.6, records: 400 },
    ];
    const sut = suggestFields(prototypes, names);
    expect(sut.suggestions[0].label).toBe('27');
    expect(sut.decidedBy).toBe('catalogue');
  });

  it('lets the names decide when the catalogue holds only a few labelled records', () => {
    const prototypes: PrototypeSimilarity[] = [{ label: '65', similarity: 0.7, records: 2 }];
    const sut = suggestFields(prototypes, names);
    // 2 records: the names weigh 0.2 + 0.8 * 20 / 22 = 0.93, and they put 39 first.
    expect(sut.suggestions[0].label).toBe('39');
    expect(sut.decidedBy).toBe('taxonomy');
    expect(sut.suggestions.map((s) => s.label)).toContain('65');
  });

  it('never lets the names weigh less than the floor, however large the catalogue', () => {
    const prototypes: PrototypeSimilarity[] = [{ label: '65', similarity: 0.9, records: 1_000_000 }];
    const sut = suggestFields(prototypes, names, 4);
    const byLabel = new Map(sut.suggestions.map((s) => [s.label, s.confidence]));
    // The names' softmax (temperature 0.05, similarities 0.05 apart): e^0, e^-1, e^-2, e^-3 over their sum.
    const z = 1 + Math.exp(-1) + Math.exp(-2) + Math.exp(-3);
    expect(byLabel.get('65')).toBeCloseTo(1 - NAME_WEIGHT_FLOOR + (NAME_WEIGHT_FLOOR * Math.exp(-3)) / z, 2);
    expect(byLabel.get('39')).toBeCloseTo(NAME_WEIGHT_FLOOR / z, 2);
  });

  it('gives confidences that sum to at most 1, highest first, ties by label', () => {
    const prototypes: PrototypeSimilarity[] = [
      { label: '13', similarity: 0.7, records: 50 },
      { label: '65', similarity: 0.7, records: 50 },
    ];
    const sut = suggestFields(prototypes, [], 5);
    expect(sut.suggestions.map((s) => s.label)).toEqual(['13', '65']);
    expect(sut.suggestions.reduce((s, x) => s + x.confidence, 0)).toBeLessThanOrEqual(1.0001);
  });

  it('ignores a prototype with no record behind it', () => {
    const sut = suggestFields([{ label: '99', similarity: 0.99, records: 0 }], names);
    expect(sut.suggestions.map((s) => s.label)).not.toContain('99');
  });
});
