import { foldDuplicates } from './duplicates';
import { reciprocalRankFusion } from './fusion';

describe('reciprocalRankFusion', () => {
  it('favours what both lists rank high', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['b', 'd', 'a'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0].score).toBeCloseTo(1 / 62 + 1 / 61);
  });
});

describe('foldDuplicates', () => {
  const v = (...xs: number[]) => Float32Array.from(xs);
  const vectors: Record<string, Float32Array> = { a: v(1, 0), b: v(0.999, 0.0447), c: v(0, 1), d: v(0.6, 0.8) };

  it('folds a listing with a nearly identical vector into the better-ranked one and names it', () => {
    const folded = foldDuplicates(
      [
        { id: 'a', organisationId: 'city', title: '电池回收技术' },
        { id: 'c', organisationId: 'x', title: '光伏清洗' },
        { id: 'b', organisationId: 'province', title: '废旧电池回收工艺' },
      ],
      (id) => vectors[id],
    );
    expect(folded.map((f) => f.id)).toEqual(['a', 'c']);
    expect(folded[0].alsoListedAs).toEqual([{ id: 'b', organisationId: 'province' }]);
  });

  it('folds the same title written with other punctuation, and keeps different results apart', () => {
    const folded = foldDuplicates(
      [
        { id: 'c', organisationId: 'x', title: '光伏组件清洗机器人' },
        { id: 'd', organisationId: 'y', title: '光伏组件 清洗机器人。' },
        { id: 'a', organisationId: 'z', title: '电池回收' },
      ],
      (id) => vectors[id],
    );
    expect(folded.map((f) => f.id)).toEqual(['c', 'a']);
  });

  it('keeps the first `limit` results and still names their twins ranked below the cut', () => {
    const folded = foldDuplicates(
      [
        { id: 'a', organisationId: 'city', title: '电池回收技术' },
        { id: 'c', organisationId: 'x', title: '光伏清洗' },
        { id: 'd', organisationId: 'y', title: '储能系统' },
        { id: 'b', organisationId: 'province', title: '废旧电池回收工艺' },
      ],
      (id) => vectors[id],
      undefined,
      2,
    );
    expect(folded.map((f) => f.id)).toEqual(['a', 'c']);
    expect(folded[0].alsoListedAs).toEqual([{ id: 'b', organisationId: 'province' }]);
  });
});
