import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { normaliseText } from '@app/embedding';

const jieba = Jieba.withDict(dict);

// Words that say nothing about what a demand or achievement is about.
const STOPWORDS = new Set([
  '技术',
  '一种',
  '方法',
  '研究',
  '我们',
  '公司',
  '我公司',
  '企业',
  '需要',
  '希望',
  '寻求',
  '进行',
  '提供',
  '相关',
  '以及',
  '通过',
  '可以',
  '能够',
  '具有',
  '采用',
  '基于',
  '实现',
  '本成果',
  '成果',
  '本发明',
  '发明',
  '问题',
  '解决',
  '目前',
  '已经',
  '其中',
  '主要',
  '一个',
  '这种',
  '有效',
  '提高',
  '应用',
  '系统',
  '装置',
  '工艺',
  '合作',
  '开发',
  '引进',
  '项目',
  '产品',
  '领域',
  'the',
  'and',
  'for',
  'with',
  'of',
  'in',
  'a',
  'an',
  'to',
  'on',
  'based',
]);

/** The content words of a text (jieba segmentation; Traditional read as Simplified), without stopwords. */
export function contentTerms(text: string): string[] {
  let normalised: string;
  try {
    normalised = normaliseText(text).toLowerCase();
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const word of jieba.cut(normalised, false)) {
    const w = word.trim();
    if (w.length < 2 || STOPWORDS.has(w) || !/[\p{Script=Han}\p{L}]/u.test(w) || /^\d+$/.test(w)) continue;
    out.add(w);
  }
  return [...out];
}
