import { EmptyTextError } from './embedding.errors';
import { normaliseText } from './text-normaliser';

describe('normaliseText', () => {
  it('turns Traditional Chinese into Simplified, phrases included', () => {
    expect(normaliseText('新能源汽車動力電池回收')).toBe('新能源汽车动力电池回收');
    expect(normaliseText('軟體定義網路')).toBe('软件定义网络');
  });

  it('leaves Simplified Chinese unchanged, words the Taiwan phrase table would rewrite included', () => {
    const text = '建立一种基于深度学习的工业缺陷视觉检测方法，头发干燥后台（试点）！';
    expect(normaliseText(text)).toBe(text);
  });

  it('gives a Traditional and a Simplified demand the same text', () => {
    expect(normaliseText('我們公司需要一種能降低注塑件翹曲變形的工藝改進方案')).toBe(
      normaliseText('我们公司需要一种能降低注塑件翘曲变形的工艺改进方案'),
    );
  });

  it('folds full-width letters and digits (NFKC)', () => {
    expect(normaliseText('ＡＩ芯片　５Ｇ基站，Ｈ２Ｏ')).toBe('AI芯片 5G基站，H2O');
  });

  it('folds runs of whitespace, newlines included, and trims', () => {
    expect(normaliseText('  企业\t需要\n\n数字化   改造  ')).toBe('企业 需要 数字化 改造');
  });

  it.each(['', '   ', '\n\t　'])('refuses empty or whitespace-only text %j', (text) => {
    expect(() => normaliseText(text)).toThrow(EmptyTextError);
  });
});
