import { closeness, modeShares, readinessFloor, type Basis } from './demand-assistant.service';

const basis = (id: string): Basis => ({ kind: 'achievement', id, title: id, similarity: 0.7 });

describe('closeness', () => {
  it('weights the closest record 1 and one 0.05 less similar e^-1', () => {
    const sut = closeness([{ similarity: 0.7 }, { similarity: 0.65 }, { similarity: 0.4 }]);
    expect(sut.map((n) => n.weight)).toEqual([1, expect.closeTo(Math.exp(-1), 6), expect.closeTo(Math.exp(-6), 6)]);
    expect(closeness([])).toEqual([]);
  });
});

describe('readinessFloor', () => {
  const offer = (level: number, weight: number, id = String(level)) => ({ level, weight, basis: basis(id) });

  it('is the level below which a quarter of the weight lies', () => {
    expect(readinessFloor([9, 3, 6, 7, 5].map((l) => offer(l, 1)))?.value).toBe(5);
    expect(readinessFloor([offer(4, 1)])?.value).toBe(4);
  });

  it('lets the close records speak: a far record of low readiness does not pull the floor down', () => {
    expect(readinessFloor([offer(7, 1), offer(6, 0.8), offer(2, 0.01), offer(1, 0.01)])?.value).toBe(6);
  });

  it('is null without a neighbour', () => {
    expect(readinessFloor([])).toBeNull();
  });

  it('names the three heaviest records it rests on', () => {
    const sut = readinessFloor([offer(1, 0.1, 'a'), offer(2, 0.9, 'b'), offer(3, 0.5, 'c'), offer(4, 0.7, 'd')]);
    expect(sut?.basis.map((b) => b.id)).toEqual(['b', 'd', 'c']);
  });
});

describe('modeShares', () => {
  it('weights each offer by its similarity and keeps the modes at least 30% offer', () => {
    const sut = modeShares([
      { modes: ['licence', 'transfer'], weight: 0.8 },
      { modes: ['licence'], weight: 0.6 },
      { modes: ['joint_development'], weight: 0.2 },
      { modes: ['transfer'], weight: 0.4 },
    ]);
    expect(sut).toEqual([
      { mode: 'licence', share: 0.7 },
      { mode: 'transfer', share: 0.6 },
    ]);
  });

  it('is empty without an offer', () => {
    expect(modeShares([])).toEqual([]);
  });
});
