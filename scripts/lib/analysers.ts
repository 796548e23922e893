import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { normaliseText } from '@app/embedding';
import { DISCIPLINES, INDUSTRY_SECTIONS } from '@app/taxonomy';
import { bigrams } from '@app/vector-index';

// The lexical analysers eval:matching compares (docs/measurements.md, "Lexical analyser"); the service ships bigrams.

/** jieba's dictionary, with the names of the industry and discipline taxonomies as words of their own. */
function segmenter(): Jieba {
  const jieba = Jieba.withDict(dict);
  const names = [
    ...Object.values(DISCIPLINES),
    ...Object.values(INDUSTRY_SECTIONS).flatMap((s) => [s.name, ...Object.values(s.divisions)]),
  ];
  const words = new Set(names.flatMap((n) => n.split(/[、，,和与及]/)).filter((w) => w.trim().length >= 2));
  jieba.loadDict(Buffer.from([...words].map((w) => `${w.trim()} 2000 n`).join('\n')));
  return jieba;
}

let jieba: Jieba | undefined;

/** jieba words (Traditional read as Simplified), punctuation left out. */
export function words(text: string): string[] {
  jieba ??= segmenter();
  let normalised: string;
  try {
    normalised = normaliseText(text).toLowerCase();
  } catch {
    return [];
  }
  return jieba
    .cut(normalised, false)
    .map((w) => w.trim())
    .filter((w) => /[\p{Script=Han}\p{L}\p{N}]/u.test(w));
}

/** Both fields in one bag: bigrams, and words of two or more characters marked apart. */
export function bigramsAndWords(text: string): string[] {
  return [...bigrams(text), ...words(text).flatMap((w) => (w.length >= 2 ? [`w:${w}`] : []))];
}

export const ANALYSERS = { words, both: bigramsAndWords } as const;
