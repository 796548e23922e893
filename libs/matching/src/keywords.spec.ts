import { bigrams, LexicalCollection } from '@app/vector-index';
import { EVIDENCE_TERMS, keywordPart, needText } from './keywords';

/** A catalogue in which 减少、时间、方法 are everywhere and 盾构、滚刀 are rare. */
function catalogue(): LexicalCollection {
  const c = new LexicalCollection();
  const common = ['一种减少停机时间的方法', '减少能耗的方法，缩短时间', '一种提高效率、减少时间的方法'];
  for (let i = 0; i < 30; i++) c.upsert(`common-${i}`, `${common[i % 3]}${i}`);
  c.upsert('cutter', '盾构机滚刀磨损的实时预测方法，提前安排换刀，减少停机');
  c.upsert('belt', '一种皮带除铁器，减少停机时间的方法');
  return c;
}

const terms = (text: string) => new Set(bigrams(text));

describe('keywordPart', () => {
  const rarity = catalogue();
  const need = needText('盾构机刀具磨损快，换刀停工时间长，希望减少停机，缩短换刀时间，提供预测磨损的方法');

  it('weighs shared terms by rarity: the rare words of the need count, the common ones barely', () => {
    const cutter = keywordPart(need, terms('盾构机滚刀磨损的实时预测方法，提前安排换刀，减少停机'), rarity)!;
    const belt = keywordPart(need, terms('一种皮带除铁器，减少停机时间的方法'), rarity)!;
    expect(cutter.value).toBeGreaterThan(2 * belt.value);
    expect(cutter.why.zh).toMatch(/^共同关键词：/);
    for (const word of ['盾构机', '磨损', '换刀']) expect(cutter.why.zh).toContain(word);
    expect(belt.why.zh).not.toContain('时间');
    expect(belt.why.zh).not.toContain('方法');
  });

  it('joins overlapping shared bigrams back into the phrase they came from', () => {
    const part = keywordPart(needText('盾构机刀具'), terms('盾构机滚刀'), rarity)!;
    expect(part.why.en).toBe('shared keywords: 盾构机');
  });

  it('names only common words as such, and nothing shared as nothing', () => {
    expect(keywordPart(needText('减少时间的方法'), terms('减少时间的方法'), rarity)!.why.en).toBe(
      'only common words shared',
    );
    const none = keywordPart(need, terms('完全无关的文本'), rarity)!;
    expect(none).toMatchObject({ value: 0, why: { en: 'no shared keywords' } });
  });

  it('gives a short need proportionally less weight, a long one full weight', () => {
    const short = needText('盾构滚刀');
    expect(keywordPart(short, terms('盾构滚刀'), rarity)).toMatchObject({
      value: 1,
      confidence: short.terms.length / EVIDENCE_TERMS,
    });
    const long = needText(Array.from({ length: 40 }, (_, i) => `词${String.fromCharCode(0x4e00 + i * 7)}`).join(''));
    expect(long.terms.length).toBeGreaterThanOrEqual(EVIDENCE_TERMS);
    expect(keywordPart(long, new Set(long.terms), rarity)).toMatchObject({ value: 1, confidence: 1 });
  });

  it('reads Traditional as Simplified, and leaves a need without terms unscored', () => {
    expect(keywordPart(needText('盾構機滾刀'), terms('盾构机滚刀'), rarity)!.value).toBeGreaterThan(0);
    expect(keywordPart(needText('  '), terms('盾构'), rarity)).toBeUndefined();
  });
});
