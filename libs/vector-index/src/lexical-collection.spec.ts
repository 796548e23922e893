import { bigrams, LexicalCollection, sharedPhrases } from './lexical-collection';

describe('bigrams', () => {
  it('splits Chinese into overlapping bigrams and keeps Latin words whole', () => {
    expect(bigrams('动力电池回收 AI芯片')).toEqual(['动力', '力电', '电池', '池回', '回收', 'ai', '芯片']);
  });

  it('tokenises Traditional like Simplified', () => {
    expect(bigrams('動力電池')).toEqual(bigrams('动力电池'));
  });
});

describe('sharedPhrases', () => {
  it('joins runs of shared bigrams into phrases, per run of the text, Latin words whole', () => {
    const shared = new Set(['盾构', '构机', '磨损', 'tbm']);
    expect(sharedPhrases('盾构机刀具磨损，TBM 换刀', (t) => shared.has(t))).toEqual([
      { phrase: '盾构机', terms: ['盾构', '构机'] },
      { phrase: '磨损', terms: ['磨损'] },
      { phrase: 'tbm', terms: ['tbm'] },
    ]);
  });
});

describe('LexicalCollection', () => {
  it('knows how rare a term is: common ones low, unseen ones highest', () => {
    const sut = new LexicalCollection();
    for (let i = 0; i < 9; i++) sut.upsert(`d${i}`, `方法${i}`);
    sut.upsert('rare', '方法 滚刀');
    expect(sut.idf('方法')).toBeLessThan(0.2);
    expect(sut.idf('滚刀')).toBeGreaterThan(1.5);
    expect(sut.idf('未见')).toBeGreaterThan(sut.idf('滚刀'));
  });

  it('tells a rarity among the documents admitted alone, as if the others were not there', () => {
    const sut = new LexicalCollection();
    for (let i = 0; i < 6; i++) sut.upsert(`public${i}`, i < 2 ? '滚刀 方法' : '方法');
    for (let i = 0; i < 10; i++) sut.upsert(`private${i}`, '滚刀');
    sut.upsert('public0', '方法'); // replaced: its old entry does not count
    const admitted = (id: string) => id.startsWith('public');
    // One of the six admitted documents has the term: BM25's idf with df 1 of 6.
    expect(sut.idfAmong('滚刀', admitted, 6)).toBeCloseTo(Math.log(1 + (6 - 1 + 0.5) / (1 + 0.5)));
    expect(sut.idfAmong('滚刀', admitted, 6)).toBeGreaterThan(sut.idf('滚刀'));
  });

  it("counts a replaced document once in a term's rarity", () => {
    const sut = new LexicalCollection();
    for (let i = 0; i < 10; i++) sut.upsert(`d${i}`, i < 2 ? '电池' : `光伏${i}`);
    const before = sut.idf('电池');
    for (let i = 0; i < 10; i++) sut.upsert(`d${i}`, i < 2 ? '电池' : `光伏${i}`); // as when vectors arrive
    expect(sut.idf('电池')).toBeCloseTo(before);
  });

  it('keeps the rarity of a term when only some documents are stored again with the same text', () => {
    const sut = new LexicalCollection();
    for (let i = 0; i < 10; i++) sut.upsert(`d${i}`, i < 2 ? '电池' : `光伏${i}`);
    const before = sut.idf('电池');
    // Concurrent jobs: the two battery records stored again and again (text, then vector), the others not.
    for (let round = 0; round < 5; round++) for (const id of ['d0', 'd1']) sut.upsert(id, '电池');
    expect(sut.idf('电池')).toBeCloseTo(before);
    sut.upsert('d0', '光伏组件'); // a changed text does replace the entry
    expect(sut.idf('电池')).toBeGreaterThan(before);
  });

  it('indexes with the analyser it is given', () => {
    const sut = new LexicalCollection((text) => text.split(' '));
    sut.upsert('a', '盾构机 滚刀');
    expect(sut.search('滚刀', 1).map((h) => h.id)).toEqual(['a']);
    expect(sut.search('滚', 1)).toEqual([]);
  });

  it('ranks the document sharing the most query bigrams first, and forgets removed ones', () => {
    const sut = new LexicalCollection();
    sut.upsert('a', '废旧动力电池正极材料湿法回收');
    sut.upsert('b', '光伏组件清洗机器人');
    sut.upsert('c', '动力电池热管理系统');
    expect(sut.search('動力電池回收', 3).map((h) => h.id)).toEqual(['a', 'c']);
    sut.remove('a');
    expect(sut.search('动力电池回收', 3).map((h) => h.id)).toEqual(['c']);
    sut.upsert('c', '光伏逆变器');
    expect(sut.search('动力电池', 3)).toEqual([]);
  });

  it('keeps answering correctly after many replacements (compaction)', () => {
    const sut = new LexicalCollection();
    for (let i = 0; i < 3000; i++) sut.upsert(`d${i % 10}`, i % 2 ? '海水淡化反渗透膜' : '光伏组件清洗');
    expect(sut.size).toBe(10);
    expect(
      sut
        .search('反渗透', 20)
        .map((h) => h.id)
        .sort(),
    ).toEqual(['d1', 'd3', 'd5', 'd7', 'd9']);
  });

  it('survives a round trip through JSON', () => {
    const sut = new LexicalCollection();
    sut.upsert('a', '海水淡化反渗透膜');
    const copy = new LexicalCollection();
    copy.load(sut.toJSON());
    expect(copy.search('反渗透', 1)[0].id).toBe('a');
  });
});
