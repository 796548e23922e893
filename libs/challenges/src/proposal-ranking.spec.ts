import { rankProposals, STATEMENT_SHARE } from './proposal-ranking';
import type { JudgeScore, Proposal } from './proposals.types';

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};
const proposal = (id: string): Proposal => ({
  id,
  challengeId: 'c',
  organisationId: `org-${id}`,
  summary: id,
  approach: '',
  team: '',
  price: null,
  timeline: '',
  achievementIds: [],
  expertIds: [],
  outcome: null,
  outcomeReason: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
});
const criteria = [
  { name: 'feasibility', description: '', weight: 3 },
  { name: 'cost', description: '', weight: 1 },
];
// Statement along x, feasibility along y, cost along z.
const base = {
  criteria,
  statementVector: unit(1, 0, 0),
  criterionVectors: [unit(0, 1, 0), unit(0, 0, 1)],
};
const score = (proposalId: string, judge: string, criterion: string, value: number): JudgeScore => ({
  proposalId,
  judge,
  criterion,
  score: value,
});

describe('proposal ranking', () => {
  it('gives half the fit to the statement and shares the rest by the criteria weights, each part explained', () => {
    const [r] = rankProposals({ ...base, entries: [{ proposal: proposal('a'), vector: unit(1, 1, 0) }], scores: [] });
    expect(r.fitParts.map((p) => [p.name, p.weight])).toEqual([
      ['statement', STATEMENT_SHARE],
      ['feasibility', 0.375],
      ['cost', 0.125],
    ]);
    // cos 45° = 0.707 to the statement and to feasibility, 0 to cost.
    expect(r.fit).toBeCloseTo(0.707 * 0.5 + 0.707 * 0.375, 2);
    expect(r.fitParts[1].why).toEqual({
      zh: '与"feasibility"的语义相似度 0.71',
      en: 'semantic similarity 0.71 to "feasibility"',
    });
  });

  it('ranks by the fit before any judge scored, and puts proposals still being embedded last', () => {
    const ranked = rankProposals({
      ...base,
      entries: [
        { proposal: proposal('pending'), vector: null },
        { proposal: proposal('off-topic'), vector: unit(0, 0, 1) },
        { proposal: proposal('on-topic'), vector: unit(1, 1, 0) },
      ],
      scores: [],
    });
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['on-topic', 1],
      ['off-topic', 2],
      ['pending', 3],
    ]);
    expect(ranked[2]).toMatchObject({ fit: null, fitParts: [], judgeTotal: null, judges: 0 });
  });

  it("puts the judges' weighted total first once any judge scored, over the criteria scored so far", () => {
    const ranked = rankProposals({
      ...base,
      entries: [
        { proposal: proposal('machine-favourite'), vector: unit(1, 1, 0) },
        { proposal: proposal('judges-favourite'), vector: unit(0, 0, 1) },
      ],
      scores: [
        score('judges-favourite', 'j1', 'feasibility', 9),
        score('judges-favourite', 'j2', 'feasibility', 7),
        score('judges-favourite', 'j1', 'cost', 4),
        // Only cost scored: its total is its cost mean, not diluted by the unscored feasibility.
        score('machine-favourite', 'j1', 'cost', 6),
      ],
    });
    const [first, second] = ranked;
    expect(first.id).toBe('judges-favourite');
    expect(first.judgeScores).toEqual({ feasibility: 8, cost: 4 });
    expect(first.judgeTotal).toBe(7); // (8 x 3 + 4 x 1) / 4
    expect(first.judges).toBe(2);
    expect(second).toMatchObject({ id: 'machine-favourite', judgeTotal: 6, judges: 1 });
  });

  it('breaks equal judge totals by the fit', () => {
    const ranked = rankProposals({
      ...base,
      entries: [
        { proposal: proposal('weaker'), vector: unit(0, 0, 1) },
        { proposal: proposal('stronger'), vector: unit(1, 0, 0) },
      ],
      scores: [score('weaker', 'j', 'cost', 5), score('stronger', 'j', 'cost', 5)],
    });
    expect(ranked.map((r) => r.id)).toEqual(['stronger', 'weaker']);
  });
});
