import { suggestKeywords, type KeywordInput } from './keyword-suggestion';

const idf: Record<string, number> = {
  纺织: 3,
  瑕疵: 5,
  检测: 1.5,
  技术: 0.2,
  一种: 0.1,
  视觉: 4,
  布匹: 4,
};
const input = (over: Partial<KeywordInput>): KeywordInput => ({
  titleWords: [],
  words: [],
  idf: (w) => idf[w] ?? 2,
  neighbours: [],
  ...over,
});

describe('suggestKeywords', () => {
  it('ranks rare words first and leaves out generic ones, single characters and numbers', () => {
    const sut = suggestKeywords(input({ words: ['一种', '技术', '瑕疵', '检测', '的', '2026', '纺织'] }), 10);
    expect(sut.map((k) => k.keyword)).toEqual(['瑕疵', '纺织', '检测']);
  });

  it('puts a word shared with the nearest records before an unshared one of the same rarity', () => {
    const neighbours = ['基于机器视觉的瑕疵识别', '视觉检测系统'];
    expect(suggestKeywords(input({ words: ['布匹', '视觉'], neighbours }))).toEqual([
      { keyword: '视觉', sharedWith: 2 },
      { keyword: '布匹', sharedWith: 0 },
    ]);
    expect(suggestKeywords(input({ words: ['布匹', '视觉'], neighbours: ['布匹'] }))[0]).toEqual({
      keyword: '布匹',
      sharedWith: 1,
    });
  });

  it('counts a title word twice and repetitions by their square root', () => {
    const title = suggestKeywords(input({ titleWords: ['检测'], words: ['检测', '纺织'] }));
    expect(title[0].keyword).toBe('检测'); // 1.5 × 2 = 3 ties 纺织's 3, and 检测 sorts first
    const repeated = suggestKeywords(input({ words: ['检测', '检测', '检测', '检测', '纺织'] }));
    expect(repeated[0].keyword).toBe('检测'); // 1.5 × √4 = 3 ties 纺织
    const once = suggestKeywords(input({ words: ['检测', '纺织'] }));
    expect(once[0].keyword).toBe('纺织');
  });

  it('returns at most the number asked for', () => {
    const sut = suggestKeywords(input({ words: ['甲乙', '丙丁', '戊己', '庚辛', '壬癸', '子丑', '寅卯'] }), 5);
    expect(sut).toHaveLength(5);
  });
});
