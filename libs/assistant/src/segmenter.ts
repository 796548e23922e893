import { Jieba } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict';
import { normaliseText } from '@app/embedding';
import { DISCIPLINES, INDUSTRY_SECTIONS } from '@app/taxonomy';

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

/** jieba words of a text, Traditional read as Simplified and Latin letters lower-cased; punctuation left out. */
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

/** Loads jieba's dictionary and its IDF table now rather than on the first text (a process's start-up). */
export function loadSegmenter(): void {
  jieba ??= segmenter();
  generalTable();
}

let general: { idf: Map<string, number>; median: number } | undefined;

/**
 * How rare a word is in general Chinese: jieba's IDF table (from a general corpus), and its median for a word the
 * table lacks, as jieba's own keyword extraction does. What tells a generic word from a technical one in a catalogue
 * too small to tell.
 */
export function generalIdf(word: string): number {
  return generalTable().idf.get(word) ?? generalTable().median;
}

export function generalIdfMedian(): number {
  return generalTable().median;
}

function generalTable(): { idf: Map<string, number>; median: number } {
  if (!general) {
    const table = new Map<string, number>();
    for (const line of Buffer.from(idf).toString('utf8').split('\n')) {
      const space = line.lastIndexOf(' ');
      if (space > 0) table.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    const sorted = [...table.values()].sort((a, b) => a - b);
    general = { idf: table, median: sorted[Math.floor(sorted.length / 2)] ?? 1 };
  }
  return general;
}
