import type { ProfileByKind } from './profiles.types';
import { isLive, isPublished, publicFormOf, withoutConfidential } from './visibility';

const achievement = (status: string, visibility: string) =>
  ({ status, visibility }) as unknown as ProfileByKind['achievement'];
const demand = (status: string) => ({ status }) as unknown as ProfileByKind['demand'];
const expert = (active: boolean) => ({ active }) as unknown as ProfileByKind['expert'];

describe('visibility', () => {
  it.each([
    ['listed', 'public', true, true],
    ['under_negotiation', 'public', true, true],
    ['traded', 'public', true, false],
    ['listed', 'private', false, false],
    ['draft', 'public', false, false],
    ['withdrawn', 'public', false, false],
  ])('an achievement %s and %s: published %s, live %s', (status, visibility, published, live) => {
    expect(isPublished('achievement', achievement(status, visibility))).toBe(published);
    expect(isLive('achievement', achievement(status, visibility))).toBe(live);
  });

  it.each([
    ['open', true, true],
    ['closed', true, false],
    ['draft', false, false],
    ['withdrawn', false, false],
  ])('a demand %s: published %s, live %s', (status, published, live) => {
    expect(isPublished('demand', demand(status))).toBe(published);
    expect(isLive('demand', demand(status))).toBe(live);
  });

  it('publishes and matches people only while active', () => {
    expect([isPublished('expert', expert(true)), isLive('expert', expert(true))]).toEqual([true, true]);
    expect([isPublished('expert', expert(false)), isLive('expert', expert(false))]).toEqual([false, false]);
  });

  it("blanks a demand's confidential fields and its content hash, and nothing else", () => {
    const d = {
      title: '降本',
      description: '内部工艺参数',
      budgetMax: 100,
      confidentialFields: ['description', 'budgetMax'],
      embedding: { status: 'ready', contentHash: 'abc', modelId: 'm' },
    } as unknown as ProfileByKind['demand'];
    expect(publicFormOf(d)).toMatchObject({ title: '降本', description: null, budgetMax: null });
    expect(publicFormOf(d).embedding.contentHash).toBe('');
    expect(withoutConfidential({ title: 'x', confidentialFields: 'not a list' })).toEqual({
      title: 'x',
      confidentialFields: 'not a list',
    });
  });
});
